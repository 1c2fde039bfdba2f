package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.transaction.support.TransactionTemplate;

import io.concurrence.Tasklet;

/**
 * Spring's JDBC support on a {@link ConcurrenceDataSource}: JdbcTemplate, NamedParameterJdbcTemplate, generated
 * keys, batches, and transactions through DataSourceTransactionManager, from a platform thread and a tasklet.
 */
class SpringJdbcTest {

    private static final String TABLE = "t2_spring_person";

    private static ConcurrenceDataSource db;
    private static JdbcTemplate jdbc;

    /** A person row. */
    private record Person(long id, String name, int age) {
    }

    private static final RowMapper<Person> PERSON = (rs, n) -> new Person(rs.getLong("id"), rs.getString("name"),
            rs.getInt("age"));

    @BeforeAll
    static void createTable() throws SQLException {
        DbTestSupport.requireServer();
        db = DbTestSupport.dataSource("poolSize=4&poolName=t2-spring");
        jdbc = new JdbcTemplate(db);
        jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
        jdbc.execute("CREATE TABLE " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL,"
                + " age INT NOT NULL) ENGINE=InnoDB");
    }

    @AfterAll
    static void dropTable() {
        if (db != null) {
            try {
                jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
            } finally {
                db.close();
            }
        }
    }

    @BeforeEach
    void emptyTable() {
        jdbc.update("DELETE FROM " + TABLE);
    }

    @Test
    void jdbcTemplateCrudRoundTrips() {
        assertThat(jdbc.update("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", "ada", 36)).isEqualTo(1);
        assertThat(jdbc.update("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", "alan", 41)).isEqualTo(1);

        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Integer.class)).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT age FROM " + TABLE + " WHERE name = ?", Integer.class, "ada"))
                .isEqualTo(36);
        Person alan = jdbc.queryForObject("SELECT id, name, age FROM " + TABLE + " WHERE name = ?", PERSON, "alan");
        assertThat(alan).isNotNull();
        assertThat(alan.name()).isEqualTo("alan");
        assertThat(alan.age()).isEqualTo(41);

        List<Person> all = jdbc.query("SELECT id, name, age FROM " + TABLE + " ORDER BY name", PERSON);
        assertThat(all).extracting(Person::name).containsExactly("ada", "alan");

        List<Map<String, Object>> maps = jdbc.queryForList("SELECT name, age FROM " + TABLE + " WHERE age > ?", 40);
        assertThat(maps).hasSize(1);
        assertThat(maps.get(0)).containsEntry("name", "alan");
        assertThat(((Number) maps.get(0).get("age")).intValue()).isEqualTo(41);

        assertThat(jdbc.update("UPDATE " + TABLE + " SET age = age + 1 WHERE name = ?", "ada")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT age FROM " + TABLE + " WHERE id = ?", Integer.class,
                all.get(0).id())).isEqualTo(37);
        assertThat(jdbc.update("DELETE FROM " + TABLE + " WHERE name = ?", "nobody")).isZero();
        assertThat(jdbc.update("DELETE FROM " + TABLE + " WHERE name = ?", "alan")).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT name FROM " + TABLE, String.class)).containsExactly("ada");
    }

    @Test
    void generatedKeyHolderReceivesTheAutoIncrementId() {
        KeyHolder keys = new GeneratedKeyHolder();
        int rows = jdbc.update(connection -> {
            PreparedStatement p = connection.prepareStatement("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)",
                    Statement.RETURN_GENERATED_KEYS);
            p.setString(1, "grace");
            p.setInt(2, 85);
            return p;
        }, keys);

        assertThat(rows).isEqualTo(1);
        Number id = keys.getKey();
        assertThat(id).as("generated key").isNotNull();
        assertThat(id.longValue()).isPositive();
        assertThat(jdbc.queryForObject("SELECT name FROM " + TABLE + " WHERE id = ?", String.class, id.longValue()))
                .isEqualTo("grace");
    }

    @Test
    void batchUpdateWithArgumentArraysInsertsEveryRow() {
        List<Object[]> args = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            args.add(new Object[] {"p" + i, i});
        }
        int[] counts = jdbc.batchUpdate("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", args);

        assertThat(counts).hasSize(50).containsOnly(1);
        String countAndSum = jdbc.queryForObject("SELECT COUNT(*), SUM(age) FROM " + TABLE,
                (rs, n) -> rs.getInt(1) + "/" + rs.getLong(2));
        assertThat(countAndSum).isEqualTo("50/1225");
    }

    @Test
    void batchUpdateWithSetterInsertsEveryRow() {
        List<String> names = List.of("x", "y", "z");
        int[] counts = jdbc.batchUpdate("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        ps.setString(1, names.get(i));
                        ps.setInt(2, 10 * (i + 1));
                    }

                    @Override
                    public int getBatchSize() {
                        return names.size();
                    }
                });

        assertThat(counts).containsExactly(1, 1, 1);
        assertThat(jdbc.query("SELECT id, name, age FROM " + TABLE + " ORDER BY age", PERSON))
                .extracting(Person::name, Person::age)
                .containsExactly(tuple("x", 10), tuple("y", 20), tuple("z", 30));
    }

    @Test
    void namedParameterJdbcTemplateBindsNamesAndExpandsLists() {
        NamedParameterJdbcTemplate named = new NamedParameterJdbcTemplate(db);
        for (String name : List.of("ann", "bob", "cyd")) {
            named.update("INSERT INTO " + TABLE + " (name, age) VALUES (:name, :age)",
                    new MapSqlParameterSource("name", name).addValue("age", name.length() * 10 + name.charAt(0)));
        }

        Integer age = named.queryForObject("SELECT age FROM " + TABLE + " WHERE name = :name",
                Map.of("name", "bob"), Integer.class);
        assertThat(age).isEqualTo(30 + 'b');
        List<String> some = named.queryForList("SELECT name FROM " + TABLE + " WHERE name IN (:names) ORDER BY name",
                Map.of("names", List.of("ann", "cyd", "zed")), String.class);
        assertThat(some).containsExactly("ann", "cyd");
    }

    @Test
    void committedTransactionIsVisibleToOtherConnections() {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));

        Long seenInside = tx.execute(status -> {
            jdbc.update("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", "tx-1", 1);
            jdbc.update("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", "tx-2", 2);
            return countFromAnotherConnection();
        });

        assertThat(seenInside).as("rows seen from another connection before the commit").isZero();
        assertThat(countFromAnotherConnection()).as("rows seen from another connection after the commit")
                .isEqualTo(2);
    }

    @Test
    void transactionThatThrowsIsRolledBack() throws InterruptedException {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));

        assertThatThrownBy(() -> tx.executeWithoutResult(status -> {
            jdbc.update("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", "doomed", 1);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Integer.class))
                    .as("the insert is visible inside its transaction").isEqualTo(1);
            throw new IllegalStateException("business rule broken");
        })).isInstanceOf(IllegalStateException.class).hasMessage("business rule broken");

        assertThat(countFromAnotherConnection()).as("rows after the rollback").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE, Integer.class)).isZero();
        // Connection.close() returns the connection asynchronously (after its reset), so wait for it.
        DbTestSupport.eventually("the transaction's connection is back in the pool",
                () -> db.poolStats().acquired() == 0);
    }

    @Test
    void nestedQueriesInsideRowCallbackHandlerShareTheTransactionalConnection() throws InterruptedException {
        for (int i = 1; i <= 20; i++) {
            jdbc.update("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", "n" + i, i);
        }
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(db));

        List<Long> connectionIds = tx.execute(status -> {
            List<Long> ids = new ArrayList<>();
            ids.add(jdbc.queryForObject("SELECT CONNECTION_ID()", Long.class));
            jdbc.query("SELECT id, name, age FROM " + TABLE + " ORDER BY id", rs -> {
                long id = rs.getLong("id");
                int age = jdbc.queryForObject("SELECT age FROM " + TABLE + " WHERE id = ?", Integer.class, id);
                jdbc.update("UPDATE " + TABLE + " SET age = ? WHERE id = ?", age * 100, id);
                ids.add(jdbc.queryForObject("SELECT CONNECTION_ID()", Long.class));
            });
            return ids;
        });

        assertThat(connectionIds).hasSize(21);
        assertThat(connectionIds).as("server connection of every statement of the transaction").containsOnly(
                connectionIds.get(0));
        assertThat(jdbc.queryForObject("SELECT SUM(age) FROM " + TABLE, Long.class)).isEqualTo(210L * 100);
        DbTestSupport.eventually("the transaction's connection is back in the pool",
                () -> db.poolStats().acquired() == 0);
    }

    @Test
    void jdbcTemplateWorksInsideATasklet() {
        Tasklet<Integer> t = Tasklet.spawn(() -> {
            jdbc.update("INSERT INTO " + TABLE + " (name, age) VALUES (?, ?)", "tasklet", 7);
            return jdbc.queryForObject("SELECT age + ? FROM " + TABLE + " WHERE name = ?", Integer.class, 35,
                    "tasklet");
        });

        assertThat(t.join(DbTestSupport.SOON)).isEqualTo(42);
    }

    /** Counts the rows through a connection of its own, outside any Spring transaction. */
    private static long countFromAnotherConnection() {
        try (Connection c = db.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + TABLE)) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("counting " + TABLE + " from another connection failed", e);
        }
    }
}
