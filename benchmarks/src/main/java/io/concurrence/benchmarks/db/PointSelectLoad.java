package io.concurrence.benchmarks.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.concurrence.Tasklet;
import io.concurrence.benchmarks.load.MeasuredWindow;
import io.concurrence.db.ConcurrenceDataSource;
import io.r2dbc.pool.ConnectionPool;

/**
 * {@code db-point-select}, one variant in its own JVM: {@code concurrency} concurrent loops, each taking a
 * connection from a pool of {@value #POOL_SIZE}, selecting the row of a random id of {@link BenchTables#POINT}
 * and giving the connection back. Ours runs the loops in tasklets on concurrence-db's JDBC facade; the peers
 * are raw r2dbc-mysql + r2dbc-pool driven reactively (each loop a repeated Mono) and Connector/J + HikariCP
 * on virtual threads. Prints {@code RATE <queries/s> ERRORS <n>} for the measured period after a warm-up,
 * followed by the first error, if any.
 *
 * <p>Usage: {@code java -cp benchmarks.jar io.concurrence.benchmarks.db.PointSelectLoad
 * concurrence|r2dbc|connector-j <concurrency> <warm-up ms> <measured ms>}; the server is
 * {@link MysqlTarget#fromEnvironment()}.
 */
public final class PointSelectLoad {

    /** The pool size of every variant. */
    public static final int POOL_SIZE = 64;

    static final String SQL = "SELECT id, name, value FROM " + BenchTables.POINT + " WHERE id = ?";

    private PointSelectLoad() {
    }

    /** One contender: runs its loops until {@code running} is cleared, counting queries and errors. */
    private interface Client extends AutoCloseable {
        void start(int concurrency, Counters counters);

        /** Waits for the loops, which stop once {@code running} is cleared. */
        void stop() throws InterruptedException;

        @Override
        void close() throws Exception;
    }

    /** Queries and errors counted so far, the first error, and whether the loops should go on. */
    private static final class Counters {
        final LongAdder queries = new LongAdder();
        final LongAdder errors = new LongAdder();
        final AtomicReference<Throwable> firstError = new AtomicReference<>();
        volatile boolean running = true;

        void count(boolean rowAsExpected) {
            (rowAsExpected ? queries : errors).increment();
        }

        void fail(Throwable error) {
            firstError.compareAndSet(null, error);
            errors.increment();
        }
    }

    /**
     * Runs one variant.
     *
     * @param args the variant, the concurrency, the warm-up and the measured period in ms
     */
    public static void main(String[] args) throws Exception {
        String variant = args[0];
        int concurrency = Integer.parseInt(args[1]);
        Duration warmup = Duration.ofMillis(Long.parseLong(args[2]));
        Duration measured = Duration.ofMillis(Long.parseLong(args[3]));
        MysqlTarget target = MysqlTarget.fromEnvironment();
        Counters counters = new Counters();
        try (Client client = switch (variant) {
            case "concurrence" -> new Ours(target.concurrence(POOL_SIZE));
            case "r2dbc" -> new R2dbc(target.r2dbcPool(POOL_SIZE));
            case "connector-j" -> new ConnectorJ(target.hikari(POOL_SIZE));
            default -> throw new IllegalArgumentException("unknown variant " + variant
                    + "; expected concurrence, r2dbc or connector-j");
        }) {
            client.start(concurrency, counters);
            MeasuredWindow window = MeasuredWindow.measure(warmup, measured, counters.queries::sum,
                    counters.errors::sum);
            counters.running = false;
            client.stop();
            window.print(counters.firstError.get());
        }
    }

    private static int randomId() {
        return ThreadLocalRandom.current().nextInt(1, BenchTables.POINT_ROWS + 1);
    }

    private static boolean expected(int id, int rowId, String name, int value) {
        return rowId == id && BenchTables.name(id).equals(name) && value == BenchTables.value(id);
    }

    /** One point select through plain JDBC: whether it found the expected row, and only it. */
    static boolean selectOnce(DataSource dataSource, int id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement statement = connection.prepareStatement(SQL)) {
            statement.setInt(1, id);
            try (ResultSet result = statement.executeQuery()) {
                boolean found = result.next()
                        && expected(id, result.getInt(1), result.getString(2), result.getInt(3));
                return found && !result.next();
            }
        }
    }

    /** Ours: the JDBC facade from tasklets. */
    private static final class Ours implements Client {
        private final ConcurrenceDataSource dataSource;
        private final List<Tasklet<Void>> loops = new ArrayList<>();

        Ours(ConcurrenceDataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public void start(int concurrency, Counters counters) {
            for (int i = 0; i < concurrency; i++) {
                loops.add(Tasklet.spawn(() -> {
                    while (counters.running) {
                        try {
                            counters.count(selectOnce(dataSource, randomId()));
                        } catch (SQLException | RuntimeException e) {
                            counters.fail(e);
                        }
                    }
                }));
            }
        }

        @Override
        public void stop() {
            for (Tasklet<Void> loop : loops) {
                loop.join(Duration.ofSeconds(30));
            }
        }

        @Override
        public void close() throws Exception {
            dataSource.close();
        }
    }

    /** Raw r2dbc-mysql + r2dbc-pool: each loop a Mono repeated while running. */
    private static final class R2dbc implements Client {
        private final ConnectionPool pool;
        private CountDownLatch finished = new CountDownLatch(0);

        R2dbc(ConnectionPool pool) {
            this.pool = pool;
        }

        @Override
        public void start(int concurrency, Counters counters) {
            finished = new CountDownLatch(concurrency);
            for (int i = 0; i < concurrency; i++) {
                Mono.defer(() -> selectOnce(randomId()))
                        .doOnNext(counters::count)
                        .onErrorResume(e -> {
                            counters.fail(e);
                            return Mono.empty();
                        })
                        .repeat(() -> counters.running)
                        .doFinally(signal -> finished.countDown())
                        .subscribe();
            }
        }

        /** Emits whether the select found the expected row, and only it. */
        private Mono<Boolean> selectOnce(int id) {
            return Mono.usingWhen(pool.create(),
                    connection -> Flux.from(connection.createStatement(SQL).bind(0, id).execute())
                            .flatMap(result -> result.map((row, metadata) -> expected(id,
                                    row.get(0, Integer.class), row.get(1, String.class),
                                    row.get(2, Integer.class))))
                            .collectList()
                            .map(rows -> rows.size() == 1 && rows.getFirst()),
                    io.r2dbc.spi.Connection::close);
        }

        @Override
        public void stop() throws InterruptedException {
            finished.await(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            pool.disposeLater().block(Duration.ofSeconds(30));
        }
    }

    /** Connector/J + HikariCP on virtual threads. */
    private static final class ConnectorJ implements Client {
        private final HikariDataSource dataSource;
        private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

        ConnectorJ(HikariDataSource dataSource) {
            this.dataSource = dataSource;
        }

        @Override
        public void start(int concurrency, Counters counters) {
            for (int i = 0; i < concurrency; i++) {
                threads.execute(() -> {
                    while (counters.running) {
                        try {
                            counters.count(selectOnce(dataSource, randomId()));
                        } catch (SQLException | RuntimeException e) {
                            counters.fail(e);
                        }
                    }
                });
            }
        }

        @Override
        public void stop() throws InterruptedException {
            threads.shutdown();
            threads.awaitTermination(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            dataSource.close();
        }
    }
}
