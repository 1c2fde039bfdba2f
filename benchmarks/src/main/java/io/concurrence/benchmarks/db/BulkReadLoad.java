package io.concurrence.benchmarks.db;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;

import com.zaxxer.hikari.HikariDataSource;

import reactor.core.publisher.Flux;

import io.concurrence.Tasklet;
import io.concurrence.db.ConcurrenceDataSource;
import io.r2dbc.pool.ConnectionPool;

/**
 * {@code db-bulk-read}, one variant in its own JVM with a small heap: streams a whole bulk table of
 * {@code rows} rows ({@link BenchTables}) with one {@code SELECT id, name, value}, reading every column of
 * every row, a few times over. Ours is plain JDBC on concurrence-db's facade from a tasklet; the peers are
 * raw r2dbc-mysql (rows as a Flux with bounded demand) and Connector/J in its row-streaming mode on a virtual
 * thread. Each repetition checks that it read ids {@code 1..rows} (their count and sum) and the other columns.
 * After {@code warmups} unmeasured repetitions, prints {@code RATE <rows/s> ROWS <n> SUM <sum of ids>
 * LIVE_AFTER_GC_MAX_MB <most heap in use after a collection>} over {@code repetitions} measured ones.
 *
 * <p>Usage: {@code java -Xmx256m -cp benchmarks.jar io.concurrence.benchmarks.db.BulkReadLoad
 * concurrence|r2dbc|connector-j <table> <rows> <warm-ups> <repetitions>}; the server is
 * {@link MysqlTarget#fromEnvironment()}.
 */
public final class BulkReadLoad {

    /** What the r2dbc peer requests at a time: its bounded demand. */
    private static final int DEMAND = 1_000;

    /** The memory pools of the heap, whose use after collections {@link #liveHeapAfterGc()} records. */
    private static final Set<String> HEAP_POOLS = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName)
            .collect(Collectors.toUnmodifiableSet());

    private BulkReadLoad() {
    }

    /** One contender: reads the whole table once per call. */
    private interface Reader extends AutoCloseable {
        Tally readAll(String sql) throws Exception;
    }

    /** What one pass saw: rows, the sum of their ids, and how many rows had other columns than expected. */
    private static final class Tally {
        long rows;
        long idSum;
        long wrong;

        void add(long id, String name, int value) {
            rows++;
            idSum += id;
            if (value != BenchTables.value(id) || !BenchTables.name(id).equals(name)) {
                wrong++;
            }
        }
    }

    /**
     * Runs one variant.
     *
     * @param args the variant, the table, its rows, the warm-up and the measured repetitions
     */
    public static void main(String[] args) throws Exception {
        String variant = args[0];
        String table = args[1];
        long rows = Long.parseLong(args[2]);
        int warmups = Integer.parseInt(args[3]);
        int repetitions = Integer.parseInt(args[4]);
        String sql = "SELECT id, name, value FROM " + table;
        MysqlTarget target = MysqlTarget.fromEnvironment();
        LongSupplier liveAfterGc = liveHeapAfterGc();
        try (Reader reader = switch (variant) {
            case "concurrence" -> new Ours(target.concurrence(1));
            case "r2dbc" -> new R2dbc(target.r2dbcPool(1));
            case "connector-j" -> new ConnectorJ(target.hikari(1));
            default -> throw new IllegalArgumentException("unknown variant " + variant
                    + "; expected concurrence, r2dbc or connector-j");
        }) {
            for (int i = 0; i < warmups; i++) {
                check(reader.readAll(sql), table, rows);
            }
            long read = 0;
            long idSum = 0;
            long start = System.nanoTime();
            for (int i = 0; i < repetitions; i++) {
                Tally tally = check(reader.readAll(sql), table, rows);
                read += tally.rows;
                idSum += tally.idSum;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.println("RATE " + (read / seconds) + " ROWS " + read + " SUM " + idSum
                    + " LIVE_AFTER_GC_MAX_MB " + liveAfterGc.getAsLong());
            System.out.flush();
        }
    }

    private static Tally check(Tally tally, String table, long rows) {
        long expectedSum = rows * (rows + 1) / 2;
        if (tally.rows != rows || tally.idSum != expectedSum || tally.wrong != 0) {
            throw new IllegalStateException("read " + tally.rows + " rows of " + table + " with ids summing to "
                    + tally.idSum + " (" + tally.wrong + " with unexpected columns); expected " + rows
                    + " rows, ids 1.." + rows + " summing to " + expectedSum);
        }
        return tally;
    }

    /**
     * Starts recording the heap in use after each garbage collection; returns the largest so far, in MB. A
     * driver that buffered the whole result would keep it live across collections; eden filling up between
     * them does not count.
     */
    private static LongSupplier liveHeapAfterGc() {
        AtomicLong max = new AtomicLong();
        NotificationListener listener = (notification, handback) -> {
            if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
                GcInfo info = GarbageCollectionNotificationInfo
                        .from((CompositeData) notification.getUserData()).getGcInfo();
                long used = info.getMemoryUsageAfterGc().entrySet().stream()
                        .filter(pool -> HEAP_POOLS.contains(pool.getKey()))
                        .mapToLong(pool -> pool.getValue().getUsed()).sum();
                max.accumulateAndGet(used, Math::max);
            }
        };
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            ((NotificationEmitter) collector).addNotificationListener(listener, null, null);
        }
        return () -> max.get() / (1024 * 1024);
    }

    /** Reads every row of {@code statement}'s query through plain JDBC. */
    private static Tally consume(Statement statement, String sql) throws SQLException {
        Tally tally = new Tally();
        try (ResultSet result = statement.executeQuery(sql)) {
            while (result.next()) {
                tally.add(result.getLong(1), result.getString(2), result.getInt(3));
            }
        }
        return tally;
    }

    /** Ours: plain JDBC with a fetch size, from a tasklet. */
    private static final class Ours implements Reader {
        private final ConcurrenceDataSource dataSource;

        Ours(ConcurrenceDataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Tally readAll(String sql) {
            return Tasklet.spawn(() -> {
                try (Connection connection = dataSource.getConnection();
                     Statement statement = connection.createStatement()) {
                    statement.setFetchSize(1_000);
                    return consume(statement, sql);
                }
            }).join();
        }

        @Override
        public void close() throws Exception {
            dataSource.close();
        }
    }

    /** Raw r2dbc-mysql: the rows as a Flux, {@value #DEMAND} requested at a time. */
    private static final class R2dbc implements Reader {
        private final ConnectionPool pool;

        R2dbc(ConnectionPool pool) {
            this.pool = pool;
        }

        @Override
        public Tally readAll(String sql) {
            Tally tally = new Tally();
            Flux.usingWhen(pool.create(),
                            connection -> Flux.from(connection.createStatement(sql).execute())
                                    .concatMap(result -> result.map((row, metadata) -> {
                                        long id = row.get(0, Long.class);
                                        tally.add(id, row.get(1, String.class), row.get(2, Integer.class));
                                        return id;
                                    })),
                            io.r2dbc.spi.Connection::close)
                    .limitRate(DEMAND)
                    .then()
                    .block(Duration.ofMinutes(10));
            return tally;
        }

        @Override
        public void close() {
            pool.disposeLater().block(Duration.ofSeconds(30));
        }
    }

    /** Connector/J streaming rows ({@code setFetchSize(Integer.MIN_VALUE)}), on a virtual thread. */
    private static final class ConnectorJ implements Reader {
        private final HikariDataSource dataSource;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

        ConnectorJ(HikariDataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public Tally readAll(String sql) throws InterruptedException, ExecutionException {
            Callable<Tally> read = () -> {
                try (Connection connection = dataSource.getConnection();
                     Statement statement = connection.createStatement(ResultSet.TYPE_FORWARD_ONLY,
                             ResultSet.CONCUR_READ_ONLY)) {
                    statement.setFetchSize(Integer.MIN_VALUE);
                    return consume(statement, sql);
                }
            };
            return threads.submit(read).get();
        }

        @Override
        public void close() {
            threads.close();
            dataSource.close();
        }
    }
}
