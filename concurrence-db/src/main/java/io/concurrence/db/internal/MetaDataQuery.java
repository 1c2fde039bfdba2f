package io.concurrence.db.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * One {@link java.sql.DatabaseMetaData} query: a constant SELECT ending in a WHERE clause, narrowed by conditions
 * whose values travel as {@code ?} parameters (caller input is never spliced into the SQL), then run as a
 * {@link PreparedStatement} on the driver's connection.
 *
 * <p>Not thread-safe: build and run it on one thread. The statement closes when its result set closes.
 */
final class MetaDataQuery {

    private final StringBuilder sql;
    private final List<String> parameters = new ArrayList<>();

    private MetaDataQuery(String selectWhere) {
        this.sql = new StringBuilder(selectWhere);
    }

    /** Starts a query; {@code selectWhere} is constant SQL ending in a WHERE clause (e.g. {@code WHERE 1=1}). */
    static MetaDataQuery select(String selectWhere) {
        return new MetaDataQuery(Objects.requireNonNull(selectWhere, "selectWhere"));
    }

    /**
     * Narrows to one database: {@code null} does not narrow, {@code ""} means the current database
     * ({@code DATABASE()}), anything else is matched exactly.
     */
    MetaDataQuery catalog(String column, @Nullable String catalog) {
        if (catalog == null) {
            return this;
        }
        if (catalog.isEmpty()) {
            sql.append(" AND ").append(column).append(" = DATABASE()");
            return this;
        }
        return equal(column, catalog);
    }

    /** Narrows to names matching a LIKE pattern ({@code %}, {@code _}, escape {@code \}); null does not narrow. */
    MetaDataQuery like(String expression, @Nullable String pattern) {
        if (pattern != null) {
            sql.append(" AND ").append(expression).append(" LIKE ?");
            parameters.add(pattern);
        }
        return this;
    }

    /** Narrows to rows whose expression equals {@code value}. */
    MetaDataQuery equal(String expression, String value) {
        sql.append(" AND ").append(expression).append(" = ?");
        parameters.add(value);
        return this;
    }

    /**
     * Narrows to rows whose expression is one of {@code values} (the caller has checked they are not null);
     * a null or empty array does not narrow, as with Connector/J.
     */
    MetaDataQuery in(String expression, String @Nullable [] values) {
        if (values == null || values.length == 0) {
            return this;
        }
        sql.append(" AND ").append(expression).append(" IN (");
        for (int i = 0; i < values.length; i++) {
            sql.append(i == 0 ? "?" : ", ?");
            parameters.add(Objects.requireNonNull(values[i], "values[i]"));
        }
        sql.append(')');
        return this;
    }

    /** Adds a constant condition. */
    MetaDataQuery and(String condition) {
        sql.append(" AND ").append(condition);
        return this;
    }

    /** The SQL text so far, with {@code ?} placeholders. */
    String sql() {
        return sql.toString();
    }

    /** Runs the query, sorted by {@code orderBy} (constant SQL), and returns its open result set. */
    ResultSet execute(Connection connection, String orderBy) throws SQLException {
        return run(connection, sql + " ORDER BY " + orderBy, parameters);
    }

    /** Runs a constant query without parameters (an always-empty or constant result). */
    static ResultSet constant(Connection connection, String constantSql) throws SQLException {
        return run(connection, constantSql, List.of());
    }

    private static ResultSet run(Connection connection, String sql, List<String> parameters) throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        try {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setString(i + 1, parameters.get(i));
            }
            ResultSet result = statement.executeQuery();
            closeWithResult(statement);
            return result;
        } catch (SQLException | RuntimeException e) {
            try {
                statement.close();
            } catch (SQLException closeFailure) {
                e.addSuppressed(closeFailure);
            }
            throw e;
        }
    }

    private static void closeWithResult(PreparedStatement statement) throws SQLException {
        try {
            statement.closeOnCompletion();
        } catch (SQLFeatureNotSupportedException ignored) {
            // The statement then lives until the connection closes; nothing else refers to it.
        }
    }
}
