package io.concurrence.examples;

import java.io.PrintStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

import io.concurrence.Concurrence;
import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.db.ConcurrenceDataSource;

/**
 * The seed's {@code queryblaster.py}, a load tool: {@code --sessions} tasklets run {@code --total} queries between
 * them on a {@link ConcurrenceDataSource}, each borrowing a connection for {@code --queries-per-connection}
 * queries before giving it back. Every result is read to its end. Prints progress once a second, then the
 * queries run (failed ones included), the seconds, queries per second, and the errors counted by exception class
 * with the first message of each.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=queryblaster
 * -Dexample.args="--sessions 32 --total 20000"}. It quits with exit code 0 when every query succeeded, 1 when some
 * failed, and {@value Examples#EXIT_USAGE} for a bad option (after printing the usage).
 */
public final class QueryBlaster {

    static final String USAGE = """
            usage: queryblaster [options]
              --sessions N                  tasklets querying at once (default 32)
              --queries-per-connection Q    queries a session runs on a borrowed connection before giving it back \
            (default 100)
              --total T                     queries in all, shared by the sessions (default 100000)
              --query SQL                   the query (default SELECT 1)
              --pool-size P                 connections in the pool (default: the sessions)
              --url URL                     the server (default CONCURRENCE_MYSQL_URL, or
                                            jdbc:concurrence:mysql://127.0.0.1:3306/test?user=root&password=)
              --help                        print this
            Options also take the form --name=value.""";

    /** The options that take a value. */
    private static final List<String> OPTIONS = List.of("--sessions", "--queries-per-connection", "--total",
            "--query", "--pool-size", "--url");

    /** The pause between progress lines. */
    private static final Duration PROGRESS_PERIOD = Duration.ofSeconds(1);

    private QueryBlaster() {
    }

    /**
     * What to run.
     *
     * @param sessions tasklets querying at once, at least 1
     * @param queriesPerConnection queries a session runs on one borrowed connection, at least 1
     * @param total queries in all, at least 1
     * @param query the SQL of every query
     * @param poolSize connections in the pool, at least 1
     * @param url the server's {@code jdbc:concurrence:mysql://} URL
     */
    record Options(int sessions, int queriesPerConnection, long total, String query, int poolSize, String url) {

        Options {
            atLeastOne("--sessions", sessions);
            atLeastOne("--queries-per-connection", queriesPerConnection);
            atLeastOne("--total", total);
            atLeastOne("--pool-size", poolSize);
            if (Objects.requireNonNull(query, "query").isBlank()) {
                throw new IllegalArgumentException("--query is blank: expected SQL such as 'SELECT 1'");
            }
            Objects.requireNonNull(url, "url");
        }

        /**
         * Parses {@code --name value} and {@code --name=value} options over the defaults.
         *
         * @throws IllegalArgumentException naming the option, for an unknown option, a missing value or a value
         *         out of range
         */
        static Options parse(List<String> args, String defaultUrl) {
            int sessions = 32;
            int queriesPerConnection = 100;
            long total = 100_000;
            String query = "SELECT 1";
            Integer poolSize = null;
            String url = defaultUrl;
            for (int i = 0; i < args.size(); i++) {
                String arg = args.get(i);
                int equals = arg.indexOf('=');
                boolean inline = arg.startsWith("--") && equals > 0;
                String name = inline ? arg.substring(0, equals) : arg;
                if (!OPTIONS.contains(name)) {
                    throw new IllegalArgumentException("unknown option '" + arg + "'");
                }
                if (!inline && i + 1 == args.size()) {
                    throw new IllegalArgumentException("option " + name + " needs a value");
                }
                String value = inline ? arg.substring(equals + 1) : args.get(++i);
                switch (name) {
                    case "--sessions" -> sessions = (int) number(name, value, Integer.MAX_VALUE);
                    case "--queries-per-connection" -> queriesPerConnection = (int) number(name, value,
                            Integer.MAX_VALUE);
                    case "--total" -> total = number(name, value, Long.MAX_VALUE);
                    case "--query" -> query = value;
                    case "--pool-size" -> poolSize = (int) number(name, value, Integer.MAX_VALUE);
                    case "--url" -> url = value;
                    default -> throw new IllegalArgumentException("unknown option '" + name + "'");
                }
            }
            return new Options(sessions, queriesPerConnection, total, query,
                    poolSize != null ? poolSize : sessions, url);
        }

        private static long number(String name, String value, long max) {
            long n;
            try {
                n = Long.parseLong(value.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + name + " '" + value + "' is not a whole number");
            }
            if (n > max) {
                throw new IllegalArgumentException("option " + name + " " + value + " is too large: expected at most "
                        + max);
            }
            return n;
        }

        private static void atLeastOne(String name, long value) {
            if (value < 1) {
                throw new IllegalArgumentException("option " + name + " " + value + " is out of range: expected at"
                        + " least 1");
            }
        }
    }

    /**
     * What a run did.
     *
     * @param queries queries run, failed ones included
     * @param seconds the run's wall-clock time
     * @param errors failed queries by exception class, each with the first one's message
     */
    record Summary(long queries, double seconds, Map<String, ErrorCount> errors) {

        Summary {
            errors = Map.copyOf(errors);
        }

        /** Failed queries in all. */
        long errorCount() {
            return errors.values().stream().mapToLong(ErrorCount::count).sum();
        }

        /** Queries (failed ones included) per second. */
        double queriesPerSecond() {
            return seconds > 0 ? queries / seconds : 0;
        }

        void print(PrintStream out) {
            out.println("queries: " + queries);
            out.println("seconds: " + String.format(Locale.ROOT, "%.2f", seconds));
            out.println("queries/s: " + Math.round(queriesPerSecond()));
            out.println("errors: " + errorCount());
            new TreeMap<>(errors).forEach((type, count) ->
                    out.println("  " + type + ": " + count.count() + " (first: " + count.firstMessage() + ")"));
        }
    }

    /**
     * Failed queries of one exception class.
     *
     * @param count how many
     * @param firstMessage the first one's message
     */
    record ErrorCount(long count, String firstMessage) {
    }

    /** Runs {@code options}, printing progress to {@code out} once a second; returns the summary. */
    static Summary blast(Options options, PrintStream out) {
        ConcurrenceDataSource db;
        try {
            // The explicit pool size wins over a poolSize in the URL.
            db = ConcurrenceDataSource.builder().poolName("queryblaster").url(options.url())
                    .poolSize(options.poolSize()).build();
        } catch (SQLException e) {
            throw new IllegalArgumentException("option --url: " + e.getMessage(), e);
        }
        try (db) {
            out.println("queryblaster: " + options.total() + " x '" + options.query() + "', " + options.sessions()
                    + " sessions, " + options.queriesPerConnection() + " queries per connection, pool of "
                    + options.poolSize() + " on " + db);
            return new Run(options, db).execute(out);
        }
    }

    /** One run's counters and sessions. */
    private static final class Run {
        private final Options options;
        private final ConcurrenceDataSource db;
        /** Queries handed out so far; a session claims one before each query (written and read by sessions). */
        private final AtomicLong claimed = new AtomicLong();
        /** Queries that succeeded (sessions add, the progress tasklet and the end read). */
        private final LongAdder succeeded = new LongAdder();
        /** Queries that failed, by exception class (sessions add, the end reads). */
        private final Map<String, ErrorCount> errors = new ConcurrentHashMap<>();
        private final LongAdder failed = new LongAdder();

        Run(Options options, ConcurrenceDataSource db) {
            this.options = options;
            this.db = db;
        }

        Summary execute(PrintStream out) {
            long start = System.nanoTime();
            Tasklet<Void> progress = Tasklet.named("queryblaster-progress").spawn(() -> progress(start, out));
            List<Tasklet<Void>> sessions = new ArrayList<>();
            for (int i = 0; i < options.sessions(); i++) {
                sessions.add(Tasklet.named("session-" + i).spawn(this::session));
            }
            Tasklet.joinAll(sessions);
            double seconds = (System.nanoTime() - start) / 1e9;
            progress.kill();
            Tasklet.joinAll(List.of(progress)); // no progress line after the summary
            return new Summary(succeeded.sum() + failed.sum(), seconds, errors);
        }

        private void progress(long start, PrintStream out) {
            long lastQueries = 0;
            long lastNanos = start;
            for (;;) {
                Tasklet.sleep(PROGRESS_PERIOD);
                long now = System.nanoTime();
                long queries = succeeded.sum() + failed.sum();
                out.printf(Locale.ROOT, "%.1f s: %d queries, %d queries/s%n", (now - start) / 1e9, queries,
                        Math.round((queries - lastQueries) / ((now - lastNanos) / 1e9)));
                lastQueries = queries;
                lastNanos = now;
            }
        }

        /** Claims and runs queries until all are handed out, borrowing a connection per batch. */
        private void session() {
            @Nullable Connection connection = null;
            int used = 0;
            try {
                while (claimed.incrementAndGet() <= options.total()) {
                    try {
                        if (connection == null) {
                            connection = db.getConnection();
                            used = 0;
                        }
                        query(connection);
                        succeeded.increment();
                        if (++used == options.queriesPerConnection()) {
                            Connection done = connection;
                            connection = null;
                            done.close();
                        }
                    } catch (TaskletExit e) {
                        throw e;
                    } catch (SQLException | RuntimeException e) {
                        count(e);
                        // A failed query gives its connection back; the next one borrows afresh.
                        connection = closeQuietly(connection);
                    }
                }
            } finally {
                closeQuietly(connection);
            }
        }

        private void query(Connection connection) throws SQLException {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery(options.query())) {
                while (rows.next()) {
                    // Reading every row is the work: the result is read to its end, as an application would.
                }
            }
        }

        private void count(Exception e) {
            failed.increment();
            errors.merge(e.getClass().getSimpleName(), new ErrorCount(1, String.valueOf(e.getMessage())),
                    (old, one) -> new ErrorCount(old.count() + 1, old.firstMessage()));
        }

        private static @Nullable Connection closeQuietly(@Nullable Connection connection) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException | RuntimeException e) {
                    // Already counted as the query's error; the pool drops a connection it cannot take back.
                }
            }
            return null;
        }
    }

    /** The example's body: runs inside {@link Concurrence#dispatch} with the options; quits when done. */
    static void main(List<String> args) {
        if (args.contains("--help") || args.contains("-h")) {
            System.out.println(USAGE);
            Concurrence.quit(Concurrence.EXIT_OK);
            return;
        }
        Summary summary;
        try {
            summary = blast(Options.parse(args, Jdbc.url()), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("queryblaster: " + e.getMessage());
            System.err.println(USAGE);
            Concurrence.quit(Examples.EXIT_USAGE);
            return;
        }
        summary.print(System.out);
        Concurrence.quit(summary.errorCount() == 0 ? Concurrence.EXIT_OK : Concurrence.EXIT_ERROR);
    }

    /**
     * Runs the load.
     *
     * @param args the options (see {@link #USAGE})
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(() -> main(List.of(args))));
    }
}
