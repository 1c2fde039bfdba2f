package io.concurrence.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLDataException;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Time;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.TimeZone;
import java.util.UUID;

import javax.sql.rowset.serial.SerialBlob;
import javax.sql.rowset.serial.SerialClob;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every common setter of {@link PreparedStatement} round-trips through the server, in both of the driver's modes:
 * server-prepared (MySQL's binary protocol, {@code useServerPrepareStatements=true}) and client-prepared (values
 * escaped into the SQL text by R2DBC MySQL, {@code =false}). Each test runs once per mode.
 */
class PreparedStatementTest {

    private static final String TABLE = "t1_ps";
    private static final String SMALL_KEYS = "t1_ps_keys32";
    private static final String HUGE_KEYS = "t1_ps_keys64";

    private static ConcurrenceDataSource serverPrepared;
    private static ConcurrenceDataSource clientPrepared;

    @BeforeAll
    static void open() throws Exception {
        DbTestSupport.requireServer();
        serverPrepared = DbTestSupport.dataSource("poolSize=2&useServerPrepareStatements=true&poolName=t1-ps-server");
        clientPrepared = DbTestSupport.dataSource("poolSize=2&useServerPrepareStatements=false&poolName=t1-ps-client");
    }

    @AfterAll
    static void close() throws Exception {
        if (serverPrepared != null) {
            try (Connection c = serverPrepared.getConnection()) {
                DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE, "DROP TABLE IF EXISTS " + SMALL_KEYS,
                        "DROP TABLE IF EXISTS " + HUGE_KEYS);
            } finally {
                serverPrepared.close();
            }
        }
        if (clientPrepared != null) {
            clientPrepared.close();
        }
    }

    @BeforeEach
    void createTable() throws Exception {
        try (Connection c = serverPrepared.getConnection()) {
            DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + TABLE,
                    "CREATE TABLE " + TABLE + " (id INT AUTO_INCREMENT PRIMARY KEY, c_bool TINYINT(1),"
                            + " c_tiny TINYINT, c_small SMALLINT, c_int INT, c_big BIGINT, c_float FLOAT,"
                            + " c_double DOUBLE, c_dec DECIMAL(20,6), c_str VARCHAR(255), c_text TEXT, c_bytes BLOB,"
                            + " c_date DATE, c_time TIME(6), c_dt DATETIME(6), c_ts TIMESTAMP(6) NULL)"
                            + " DEFAULT CHARSET utf8mb4");
        }
    }

    private static Connection connect(boolean serverPrepare) throws SQLException {
        return (serverPrepare ? serverPrepared : clientPrepared).getConnection();
    }

    /** Inserts one row through {@code binder} into {@code columns}, returning its id. */
    private static long insert(Connection c, String columns, Binder binder) throws Exception {
        int n = columns.split(",").length;
        String marks = String.join(", ", java.util.Collections.nCopies(n, "?"));
        try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (" + columns + ") VALUES (" + marks
                + ")", Statement.RETURN_GENERATED_KEYS)) {
            binder.bind(p);
            assertThat(p.executeUpdate()).isEqualTo(1);
            try (ResultSet keys = p.getGeneratedKeys()) {
                assertThat(keys.next()).isTrue();
                return keys.getLong(1);
            }
        }
    }

    /** Runs {@code check} on the row {@code id}'s {@code columns}. */
    private static void read(Connection c, long id, String columns, RowCheck check) throws Exception {
        try (PreparedStatement p = c.prepareStatement("SELECT " + columns + " FROM " + TABLE + " WHERE id = ?")) {
            p.setLong(1, id);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).as("row %d", id).isTrue();
                check.accept(rs);
            }
        }
    }

    private interface Binder {
        void bind(PreparedStatement p) throws Exception;
    }

    private interface RowCheck {
        void accept(ResultSet rs) throws Exception;
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void numericSettersRoundTrip(boolean serverPrepare) throws Exception {
        BigDecimal decimal = new BigDecimal("-12345678901234.654321");
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, "c_bool, c_tiny, c_small, c_int, c_big, c_float, c_double, c_dec", p -> {
                p.setBoolean(1, true);
                p.setByte(2, Byte.MIN_VALUE);
                p.setShort(3, Short.MIN_VALUE);
                p.setInt(4, Integer.MIN_VALUE);
                p.setLong(5, Long.MAX_VALUE);
                p.setFloat(6, 1.25f);
                p.setDouble(7, -2.5e300);
                p.setBigDecimal(8, decimal);
            });
            read(c, id, "c_bool, c_tiny, c_small, c_int, c_big, c_float, c_double, c_dec", rs -> {
                assertThat(rs.getBoolean(1)).isTrue();
                assertThat(rs.getByte(2)).isEqualTo(Byte.MIN_VALUE);
                assertThat(rs.getShort(3)).isEqualTo(Short.MIN_VALUE);
                assertThat(rs.getInt(4)).isEqualTo(Integer.MIN_VALUE);
                assertThat(rs.getLong(5)).isEqualTo(Long.MAX_VALUE);
                assertThat(rs.getFloat(6)).isEqualTo(1.25f);
                assertThat(rs.getDouble(7)).isEqualTo(-2.5e300);
                assertThat(rs.getBigDecimal(8)).isEqualTo(decimal);
            });
            long falseId = insert(c, "c_bool, c_dec", p -> {
                p.setBoolean(1, false);
                p.setBigDecimal(2, new BigDecimal("0.000001"));
            });
            read(c, falseId, "c_bool, c_dec", rs -> {
                assertThat(rs.getObject(1)).isEqualTo(Boolean.FALSE);
                assertThat(rs.getBigDecimal(2)).isEqualTo(new BigDecimal("0.000001"));
            });
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void setNullOfSeveralTypesStoresNull(boolean serverPrepare) throws Exception {
        String columns = "c_bool, c_int, c_big, c_double, c_dec, c_str, c_bytes, c_date, c_time, c_dt, c_text, c_ts";
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, columns, p -> {
                p.setNull(1, Types.BOOLEAN);
                p.setNull(2, Types.INTEGER);
                p.setNull(3, Types.BIGINT);
                p.setNull(4, Types.DOUBLE);
                p.setNull(5, Types.DECIMAL);
                p.setNull(6, Types.VARCHAR);
                p.setNull(7, Types.BLOB);
                p.setNull(8, Types.DATE);
                p.setNull(9, Types.TIME);
                p.setNull(10, Types.TIMESTAMP);
                p.setString(11, null);
                p.setObject(12, null);
            });
            read(c, id, columns, rs -> {
                for (int i = 1; i <= 12; i++) {
                    assertThat(rs.getObject(i)).as("column %d", i).isNull();
                    assertThat(rs.wasNull()).isTrue();
                }
            });
            long nullsById = insert(c, "c_bytes, c_dt, c_date, c_dec", p -> {
                p.setBytes(1, null);
                p.setTimestamp(2, null);
                p.setDate(3, null);
                p.setBigDecimal(4, null);
            });
            read(c, nullsById, "c_bytes IS NULL AND c_dt IS NULL AND c_date IS NULL AND c_dec IS NULL",
                    rs -> assertThat(rs.getBoolean(1)).isTrue());
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void textAndBinarySettersAndStreamsRoundTrip(boolean serverPrepare) throws Exception {
        byte[] allBytes = new byte[256];
        for (int i = 0; i < allBytes.length; i++) {
            allBytes[i] = (byte) i;
        }
        String text = "caf\u00e9 \uD83D\uDE00 \u6f22\u5b57";
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, "c_str, c_bytes, c_text", p -> {
                p.setString(1, text);
                p.setBytes(2, allBytes);
                p.setNString(3, "n" + text);
            });
            read(c, id, "c_str, c_bytes, c_text", rs -> {
                assertThat(rs.getString(1)).isEqualTo(text);
                assertThat(rs.getBytes(2)).isEqualTo(allBytes);
                assertThat(rs.getString(3)).isEqualTo("n" + text);
            });

            long streams = insert(c, "c_bytes, c_str, c_text", p -> {
                p.setBinaryStream(1, new ByteArrayInputStream(allBytes));
                p.setCharacterStream(2, new StringReader(text));
                p.setAsciiStream(3, new ByteArrayInputStream("plain ascii".getBytes(StandardCharsets.US_ASCII)));
            });
            read(c, streams, "c_bytes, c_str, c_text", rs -> {
                assertThat(rs.getBytes(1)).isEqualTo(allBytes);
                assertThat(rs.getString(2)).isEqualTo(text);
                assertThat(rs.getString(3)).isEqualTo("plain ascii");
            });

            long withLengths = insert(c, "c_bytes, c_str, c_text", p -> {
                p.setBinaryStream(1, new ByteArrayInputStream(allBytes), 4);
                p.setCharacterStream(2, new StringReader("0123456789"), 3);
                p.setAsciiStream(3, new ByteArrayInputStream("abcdef".getBytes(StandardCharsets.US_ASCII)), 2L);
            });
            read(c, withLengths, "c_bytes, c_str, c_text", rs -> {
                assertThat(rs.getBytes(1)).as("the first 4 bytes of the stream").containsExactly(0, 1, 2, 3);
                assertThat(rs.getString(2)).isEqualTo("012");
                assertThat(rs.getString(3)).isEqualTo("ab");
            });
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void blobAndClobSettersRoundTrip(boolean serverPrepare) throws Exception {
        byte[] bytes = {0, 39, 92, 34, 0, -1, 63};
        String text = "clob \u00e9 \uD83D\uDE00 '\\\"";
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, "c_bytes, c_text", p -> {
                p.setBlob(1, new SerialBlob(bytes));
                p.setClob(2, new SerialClob(text.toCharArray()));
            });
            read(c, id, "c_bytes, c_text", rs -> {
                assertThat(rs.getBytes(1)).isEqualTo(bytes);
                assertThat(rs.getString(2)).isEqualTo(text);
                assertThat(rs.getBlob(1).getBytes(1, bytes.length)).isEqualTo(bytes);
                assertThat(rs.getClob(2).getSubString(1, text.length())).isEqualTo(text);
            });
            long streams = insert(c, "c_bytes, c_text", p -> {
                p.setBlob(1, new ByteArrayInputStream(bytes));
                p.setClob(2, new StringReader(text));
            });
            read(c, streams, "c_bytes, c_text", rs -> {
                assertThat(rs.getBytes(1)).isEqualTo(bytes);
                assertThat(rs.getString(2)).isEqualTo(text);
            });
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void sqlDateTimeSettersRoundTripWithAndWithoutCalendar(boolean serverPrepare) throws Exception {
        Timestamp micros = Timestamp.valueOf("2024-02-29 13:14:15.123456");
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, "c_date, c_time, c_dt, c_ts", p -> {
                p.setDate(1, java.sql.Date.valueOf("2024-02-29"));
                p.setTime(2, Time.valueOf("23:59:58"));
                p.setTimestamp(3, micros);
                p.setTimestamp(4, Timestamp.valueOf("2024-03-01 01:02:03"));
            });
            read(c, id, "c_date, c_time, c_dt, c_ts", rs -> {
                assertThat(rs.getDate(1)).isEqualTo(java.sql.Date.valueOf("2024-02-29"));
                assertThat(rs.getTime(2)).isEqualTo(Time.valueOf("23:59:58"));
                assertThat(rs.getTimestamp(3)).isEqualTo(micros);
                assertThat(rs.getTimestamp(3).getNanos()).isEqualTo(123_456_000);
                assertThat(rs.getTimestamp(4)).isEqualTo(Timestamp.valueOf("2024-03-01 01:02:03"));
            });

            // With a Calendar, the value is stored as the wall-clock time of its instant in the calendar's zone.
            Calendar tokyo = Calendar.getInstance(TimeZone.getTimeZone("Asia/Tokyo"));
            Instant noonUtc = Instant.parse("2024-06-01T12:00:00Z");
            Timestamp atNoonUtc = Timestamp.from(noonUtc);
            Time tenUtc = new Time(Instant.parse("1970-01-01T10:00:00Z").toEpochMilli());
            java.sql.Date lateEveningUtc = new java.sql.Date(Instant.parse("2024-06-01T20:00:00Z").toEpochMilli());
            long withCalendar = insert(c, "c_dt, c_time, c_date", p -> {
                p.setTimestamp(1, atNoonUtc, tokyo);
                p.setTime(2, tenUtc, tokyo);
                p.setDate(3, lateEveningUtc, tokyo);
            });
            read(c, withCalendar, "c_dt, c_time, c_date", rs -> {
                assertThat(rs.getObject(1, LocalDateTime.class)).isEqualTo(LocalDateTime.of(2024, 6, 1, 21, 0));
                assertThat(rs.getObject(2, LocalTime.class)).isEqualTo(LocalTime.of(19, 0));
                assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(LocalDate.of(2024, 6, 2));
                assertThat(rs.getTimestamp(1, tokyo).toInstant()).isEqualTo(noonUtc);
            });
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void javaTimeSetObjectRoundTrips(boolean serverPrepare) throws Exception {
        LocalDate date = LocalDate.of(1999, 12, 31);
        LocalTime time = LocalTime.of(7, 8, 9, 654_321_000);
        LocalDateTime dateTime = LocalDateTime.of(2038, 1, 19, 3, 14, 8, 999_999_000);
        OffsetDateTime offset = OffsetDateTime.of(2024, 6, 1, 12, 0, 0, 0, ZoneOffset.ofHours(2));
        Instant instant = Instant.parse("2024-06-01T10:00:00.123456Z");
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, "c_date, c_time, c_dt, c_ts", p -> {
                p.setObject(1, date);
                p.setObject(2, time);
                p.setObject(3, dateTime);
                p.setObject(4, offset);
            });
            read(c, id, "c_date, c_time, c_dt, c_ts", rs -> {
                assertThat(rs.getObject(1, LocalDate.class)).isEqualTo(date);
                assertThat(rs.getObject(2, LocalTime.class)).isEqualTo(time);
                assertThat(rs.getObject(3)).isEqualTo(dateTime);
                assertThat(rs.getObject(4, OffsetDateTime.class).toInstant()).isEqualTo(offset.toInstant());
            });
            long instantId = insert(c, "c_dt", p -> p.setObject(1, instant));
            read(c, instantId, "c_dt", rs -> {
                assertThat(rs.getObject(1, Instant.class)).isEqualTo(instant);
                assertThat(rs.getObject(1, LocalDateTime.class))
                        .isEqualTo(LocalDateTime.ofInstant(instant, ZoneId.systemDefault()));
            });
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void setObjectWithTargetTypeConvertsFirst(boolean serverPrepare) throws Exception {
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, "c_int, c_str, c_date, c_dec, c_bool, c_big", p -> {
                p.setObject(1, "42", Types.INTEGER);
                p.setObject(2, 7, Types.VARCHAR);
                p.setObject(3, "2024-06-01", Types.DATE);
                p.setObject(4, new BigDecimal("1.23856789"), Types.DECIMAL, 2);
                p.setObject(5, "true", Types.BOOLEAN);
                p.setObject(6, null, Types.BIGINT);
            });
            read(c, id, "c_int, c_str, c_date, c_dec, c_bool, c_big", rs -> {
                assertThat(rs.getObject(1)).isEqualTo(42);
                assertThat(rs.getObject(2)).isEqualTo("7");
                assertThat(rs.getObject(3, LocalDate.class)).isEqualTo(LocalDate.of(2024, 6, 1));
                assertThat(rs.getBigDecimal(4)).isEqualByComparingTo("1.24");
                assertThat(rs.getObject(5)).isEqualTo(Boolean.TRUE);
                assertThat(rs.getObject(6)).isNull();
            });
            try (PreparedStatement p = c.prepareStatement("SELECT ?")) {
                assertThatThrownBy(() -> p.setObject(1, "not a number", Types.INTEGER))
                        .isInstanceOf(SQLException.class).hasMessageContaining("not a number");
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void setObjectBindsBigIntegersUuidsCharactersAndEnums(boolean serverPrepare) throws Exception {
        BigInteger unsignedMax = new BigInteger("18446744073709551615");
        UUID uuid = UUID.fromString("123e4567-e89b-12d3-a456-426614174000");
        try (Connection c = connect(serverPrepare);
                PreparedStatement p = c.prepareStatement("SELECT ? = 18446744073709551615, CAST(? AS CHAR),"
                        + " CAST(? AS CHAR), CAST(? AS CHAR), ? + 1")) {
            p.setObject(1, unsignedMax);
            p.setObject(2, uuid);
            p.setObject(3, 'Q');
            p.setObject(4, java.time.DayOfWeek.FRIDAY);
            p.setObject(5, BigInteger.valueOf(41));
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getBoolean(1)).as("the unsigned maximum arrives intact").isTrue();
                assertThat(rs.getString(2)).isEqualTo(uuid.toString());
                assertThat(rs.getObject(2, UUID.class)).isEqualTo(uuid);
                assertThat(rs.getString(3)).isEqualTo("Q");
                assertThat(rs.getString(4)).isEqualTo("FRIDAY");
                assertThat(rs.getLong(5)).isEqualTo(42L);
            }
            assertThatThrownBy(() -> p.setObject(1, new Object())).isInstanceOf(SQLException.class)
                    .hasMessageContaining("java.lang.Object");
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void unsetClearedAndOutOfRangeParametersThrowNamingTheParameter(boolean serverPrepare) throws Exception {
        try (Connection c = connect(serverPrepare);
                PreparedStatement p = c.prepareStatement("SELECT ?, ?")) {
            p.setInt(1, 1);
            assertThatThrownBy(p::executeQuery).isInstanceOf(SQLException.class)
                    .hasMessageContaining("parameter 2 is not set")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("07001"));
            p.setInt(2, 2);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1) + rs.getInt(2)).isEqualTo(3);
            }
            p.clearParameters();
            assertThatThrownBy(p::executeQuery).isInstanceOf(SQLException.class)
                    .hasMessageContaining("parameter 1 is not set");
            assertThatThrownBy(() -> p.setInt(3, 3)).isInstanceOf(SQLException.class)
                    .hasMessageContaining("parameter index 3 is out of range")
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("07009"));
            assertThatThrownBy(() -> p.setString(0, "x")).isInstanceOf(SQLException.class)
                    .hasMessageContaining("parameter index 0 is out of range");
            p.setInt(1, 10);
            p.setInt(2, 20);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(2)).isEqualTo(20);
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void hostileStringIsStoredVerbatimAndTheTableSurvives(boolean serverPrepare) throws Exception {
        String hostile = "'; DROP TABLE " + TABLE + "; -- \\ \\' \\\\' \" \"\" `x` \u0000 nul ? ?? %_ \n\r\t\u001a \\0"
                + " ' OR '1'='1";
        byte[] hostileBytes = {'\'', '\\', 0, '"', ';', '?', 0x1a, -1};
        try (Connection c = connect(serverPrepare)) {
            long id = insert(c, "c_str, c_text, c_bytes", p -> {
                p.setString(1, hostile);
                p.setString(2, hostile);
                p.setBytes(3, hostileBytes);
            });
            read(c, id, "c_str, c_text, c_bytes, LENGTH(c_str)", rs -> {
                assertThat(rs.getString(1)).isEqualTo(hostile);
                assertThat(rs.getString(2)).isEqualTo(hostile);
                assertThat(rs.getBytes(3)).isEqualTo(hostileBytes);
                assertThat(rs.getInt(4)).isEqualTo(hostile.getBytes(StandardCharsets.UTF_8).length);
            });
            long preparedBefore = serverPrepares(c);
            try (PreparedStatement p = c.prepareStatement("SELECT id FROM " + TABLE + " WHERE c_str = ?")) {
                p.setString(1, hostile);
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).as("the row found by the hostile string").isTrue();
                    assertThat(rs.getLong(1)).isEqualTo(id);
                    assertThat(rs.next()).isFalse();
                }
                p.setString(1, "' OR '1'='1");
                try (ResultSet rs = p.executeQuery()) {
                    assertThat(rs.next()).as("an injected OR matches nothing").isFalse();
                }
            }
            assertThat(serverPrepares(c) > preparedBefore).as("the server prepared the statement")
                    .isEqualTo(serverPrepare);
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM information_schema.tables"
                            + " WHERE table_schema = DATABASE() AND table_name = '" + TABLE + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as("the table still exists").isEqualTo(1);
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void questionMarksInLiteralsAndCommentsAreNotParameters(boolean serverPrepare) throws Exception {
        try (Connection c = connect(serverPrepare);
                PreparedStatement p = c.prepareStatement("SELECT '?' AS a, ? AS b, \"it's ?\" AS c,"
                        + " 'don''t ?' AS d /* ? */, ? AS e -- ?\n")) {
            assertThat(p.getParameterMetaData().getParameterCount()).isEqualTo(2);
            p.setString(1, "x");
            p.setInt(2, 5);
            try (ResultSet rs = p.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString("a")).isEqualTo("?");
                assertThat(rs.getString("b")).isEqualTo("x");
                assertThat(rs.getString("c")).isEqualTo("it's ?");
                assertThat(rs.getString("d")).isEqualTo("don't ?");
                assertThat(rs.getInt("e")).isEqualTo(5);
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void executeBatchReturnsOneCountPerSet(boolean serverPrepare) throws Exception {
        try (Connection c = connect(serverPrepare)) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (c_int, c_str) VALUES (?, ?)")) {
                for (int i = 1; i <= 3; i++) {
                    p.setInt(1, i);
                    p.setString(2, "row " + i);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).containsExactly(1, 1, 1);
                assertThat(p.executeBatch()).as("the batch is empty after running").isEmpty();
            }
            try (PreparedStatement p = c.prepareStatement("UPDATE " + TABLE + " SET c_str = 'x' WHERE c_int <= ?")) {
                p.setInt(1, 2);
                p.addBatch();
                p.setInt(1, 0);
                p.addBatch();
                assertThat(p.executeBatch()).containsExactly(2, 0);
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(c_str = 'x') FROM " + TABLE)) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(3);
                assertThat(rs.getInt(2)).isEqualTo(2);
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void generatedKeysOfSingleAndMultiRowInserts(boolean serverPrepare) throws Exception {
        try (Connection c = connect(serverPrepare)) {
            long first = insert(c, "c_int", p -> p.setInt(1, 1));
            long second = insert(c, "c_int", p -> p.setInt(1, 2));
            assertThat(second).isEqualTo(first + 1);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (c_int) VALUES (?), (?), (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setInt(1, 10);
                p.setInt(2, 11);
                p.setInt(3, 12);
                assertThat(p.executeUpdate()).isEqualTo(3);
                try (ResultSet keys = p.getGeneratedKeys()) {
                    for (int i = 1; i <= 3; i++) {
                        assertThat(keys.next()).as("key %d", i).isTrue();
                        assertThat(keys.getLong(1)).isEqualTo(second + i);
                    }
                    assertThat(keys.next()).isFalse();
                }
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id FROM " + TABLE + " WHERE c_int >= 10 ORDER BY id")) {
                for (int i = 1; i <= 3; i++) {
                    assertThat(rs.next()).isTrue();
                    assertThat(rs.getLong(1)).as("the keys are the ids stored").isEqualTo(second + i);
                }
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void generatedKeysBeyondIntAndLongRangesOfUnsignedBigint(boolean serverPrepare) throws Exception {
        BigInteger beyond32 = BigInteger.ONE.shiftLeft(32).add(BigInteger.valueOf(5));
        BigInteger beyond63 = BigInteger.ONE.shiftLeft(63).add(BigInteger.TEN);
        try (Connection c = connect(serverPrepare)) {
            DbTestSupport.exec(c, "DROP TABLE IF EXISTS " + SMALL_KEYS, "DROP TABLE IF EXISTS " + HUGE_KEYS,
                    "CREATE TABLE " + SMALL_KEYS + " (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, v INT)"
                            + " AUTO_INCREMENT=" + beyond32,
                    "CREATE TABLE " + HUGE_KEYS + " (id BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY, v INT)"
                            + " AUTO_INCREMENT=" + beyond63);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + SMALL_KEYS + " (v) VALUES (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setInt(1, 1);
                assertThat(p.executeUpdate()).isEqualTo(1);
                try (ResultSet keys = p.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getLong(1)).isEqualTo(beyond32.longValueExact());
                    assertThat(keys.getObject(1, Long.class)).isEqualTo(beyond32.longValueExact());
                }
            }
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + HUGE_KEYS + " (v) VALUES (?), (?)",
                    Statement.RETURN_GENERATED_KEYS)) {
                p.setInt(1, 1);
                p.setInt(2, 2);
                assertThat(p.executeUpdate()).isEqualTo(2);
                try (ResultSet keys = p.getGeneratedKeys()) {
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getObject(1)).isInstanceOf(BigInteger.class).isEqualTo(beyond63);
                    assertThat(keys.getString(1)).isEqualTo(beyond63.toString());
                    assertThatThrownBy(() -> keys.getLong(1)).isInstanceOf(SQLDataException.class)
                            .hasMessageContaining(beyond63.toString());
                    assertThat(keys.next()).isTrue();
                    assertThat(keys.getObject(1)).isEqualTo(beyond63.add(BigInteger.ONE));
                    assertThat(keys.next()).isFalse();
                }
            }
        }
    }

    @ParameterizedTest(name = "useServerPrepareStatements={0}")
    @ValueSource(booleans = {true, false})
    void maxRowsLimitsTheRowsAndFetchSizeIsAccepted(boolean serverPrepare) throws Exception {
        try (Connection c = connect(serverPrepare)) {
            try (PreparedStatement p = c.prepareStatement("INSERT INTO " + TABLE + " (c_int) VALUES (?)")) {
                for (int i = 0; i < 50; i++) {
                    p.setInt(1, i);
                    p.addBatch();
                }
                assertThat(p.executeBatch()).hasSize(50);
            }
            try (PreparedStatement p = c.prepareStatement("SELECT c_int FROM " + TABLE + " WHERE c_int >= ?"
                    + " ORDER BY c_int")) {
                p.setInt(1, 0);
                p.setMaxRows(3);
                assertThat(p.getMaxRows()).isEqualTo(3);
                assertThat(count(p)).isEqualTo(3);
                p.setMaxRows(0);
                p.setFetchSize(Integer.MIN_VALUE);
                assertThat(count(p)).as("all rows with Connector/J's streaming hint").isEqualTo(50);
                p.setFetchSize(4);
                assertThat(p.getFetchSize()).isEqualTo(4);
                assertThat(count(p)).as("all rows, 4 at a time").isEqualTo(50);
                assertThatThrownBy(() -> p.setFetchSize(-1)).isInstanceOf(SQLException.class)
                        .hasMessageContaining("-1");
            }
        }
    }

    /** The session's count of server-side prepares ({@code Com_stmt_prepare}): shows which mode ran. */
    private static long serverPrepares(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SHOW SESSION STATUS LIKE 'Com_stmt_prepare'")) {
            assertThat(rs.next()).isTrue();
            return rs.getLong(2);
        }
    }

    private static int count(PreparedStatement p) throws SQLException {
        int rows = 0;
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                assertThat(rs.getInt(1)).isEqualTo(rows);
                rows++;
            }
        }
        return rows;
    }
}
