package io.concurrence.db.internal;

import java.sql.SQLException;

import org.jspecify.annotations.Nullable;

/** Where a {@link JdbcResultSet} gets its rows: a statement's running execution, or a list in memory. */
interface RowSource {

    /** The next row, or null at the end of this result. */
    @Nullable Object @Nullable [] next() throws SQLException;

    /** The result set is closed before its end: drop the rest. */
    void close();
}
