package io.concurrence.db.internal;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.asyncer.r2dbc.mysql.api.MySqlResult;
import io.asyncer.r2dbc.mysql.api.MySqlRowMetadata;
import io.r2dbc.spi.Result;
import io.r2dbc.spi.Row;
import io.r2dbc.spi.RowMetadata;

/**
 * Turns the results of one execution into the items a {@link RowStream} queues, decoding each row on the event
 * loop (R2DBC MySQL releases a row's buffers when its mapping function returns): per result, a {@link FirstRow},
 * then one {@code Object[]} per further row, then a {@link Done}.
 */
final class Results {

    private Results() {
    }

    /** What a row nobody will read becomes: it is not decoded. */
    static final Object DROPPED = new Object();

    /** The first row of a result, with the result's columns. */
    record FirstRow(Column[] columns, @Nullable Object[] values) {
    }

    /**
     * The end of one result.
     *
     * @param updateCount the rows affected, or -1 when the result was rows
     * @param query whether the result was a result set (possibly empty)
     * @param lastInsertId the id the server generated, 0 if none (only when asked for)
     */
    record Done(long updateCount, boolean query, long lastInsertId) {
    }

    /** The id the server generated last on the connection ({@code LAST_INSERT_ID()}), 0 if none. */
    record LastId(java.math.BigInteger id) {
    }

    /** Queries {@code LAST_INSERT_ID()} on {@code connection}, giving one {@link LastId}. */
    static Flux<Object> lastInsertId(io.asyncer.r2dbc.mysql.api.MySqlConnection connection) {
        return Flux.defer(() -> connection.createStatement("SELECT LAST_INSERT_ID()").execute())
                .concatMap(result -> result.map((row, md) -> {
                    Object id = row.get(0);
                    return (Object) new LastId(id instanceof java.math.BigInteger b ? b
                            : java.math.BigInteger.valueOf(((Number) id).longValue()));
                }));
    }

    /** Whether a statement starting with {@code keyword} answers with a result set (possibly empty). */
    static boolean isQuery(String keyword) {
        return switch (keyword) {
            case "SELECT", "SHOW", "DESCRIBE", "DESC", "EXPLAIN", "WITH", "VALUES", "TABLE", "HELP", "CHECK",
                    "CHECKSUM", "ANALYZE", "OPTIMIZE", "REPAIR" -> true;
            default -> false;
        };
    }

    /**
     * The items of {@code results}. R2DBC MySQL ends an empty result set with an update count of 0, just as an
     * update that changed nothing, so a result without rows counts as a result set when {@code query} (the SQL
     * starts with SELECT, SHOW, ...: see {@link #isQuery(String)}).
     */
    static Flux<Object> items(Flux<? extends MySqlResult> results, boolean tinyInt1isBit, boolean query,
            java.util.function.BooleanSupplier dropped) {
        return results.concatMap(result -> {
            Reader reader = new Reader(tinyInt1isBit, query, dropped);
            return result.filter(reader::see).map(reader::row).concatWith(Mono.fromSupplier(reader::done));
        });
    }

    /** Reads one result. Event-loop confined. */
    private static final class Reader {

        private final boolean tinyInt1isBit;
        private final boolean query;
        private final java.util.function.BooleanSupplier dropped;
        private @Nullable Column[] columns;
        private long updateCount = -1;

        Reader(boolean tinyInt1isBit, boolean query, java.util.function.BooleanSupplier dropped) {
            this.tinyInt1isBit = tinyInt1isBit;
            this.query = query;
            this.dropped = dropped;
        }

        boolean see(Result.Segment segment) {
            if (segment instanceof Result.UpdateCount count && !(segment instanceof Result.RowSegment)) {
                updateCount = Math.max(0, updateCount) + count.value();
            }
            return true;
        }

        Object row(Row row, RowMetadata metadata) {
            if (dropped.getAsBoolean()) {
                columns = columns == null ? new Column[0] : columns;
                return DROPPED;
            }
            Column[] cols = columns;
            boolean first = cols == null;
            if (first) {
                MySqlRowMetadata md = (MySqlRowMetadata) metadata;
                int n = md.getColumnMetadatas().size();
                cols = new Column[n];
                for (int i = 0; i < n; i++) {
                    cols[i] = Column.of(md.getColumnMetadata(i), tinyInt1isBit);
                }
                columns = cols;
            }
            Object[] values = new Object[cols.length];
            for (int i = 0; i < cols.length; i++) {
                values[i] = row.get(i, cols[i].raw());
            }
            return first ? new FirstRow(cols, values) : values;
        }

        Done done() {
            boolean rows = columns != null || updateCount < 0 || query;
            return new Done(rows ? -1 : updateCount, rows, 0);
        }
    }
}
