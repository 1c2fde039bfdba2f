package io.concurrence.examples;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

import io.concurrence.Concurrence;
import io.concurrence.Tasklet;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;
import io.concurrence.net.ServerSocket;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;
import io.concurrence.remote.RemoteTasklet;
import io.concurrence.web.Router;

/**
 * The README's first command: one HTTP server with the seed's greeter ({@code /hello}), the {@code web} example's
 * routes ({@code /greeting}, {@code /sum?msg=Total&a=1&b=2}, ...), a database page ({@code /db}) and the live
 * diagnostics page ({@code /diagnostics}, pushed to it at {@code /diagnostics/events}, JSON at
 * {@code /diagnostics.json}); beside it the chat server (its own
 * port) and a remote ping/pong pair (a {@link RemoteServer} and a {@link RemoteClient} in this process, calling
 * each other every second so that the page has remote calls to show). No database is needed: the database page
 * and figures light up when MySQL answers at the configured URL, and say "database not reachable" otherwise.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package} (it is the default example), then
 * open {@code http://localhost:8080/diagnostics}. Options in {@code -Dexample.args}: {@code --port N} (default
 * 8080, or the system property {@code showcase.port}; 0 for a free port), {@code --chat-port N} (default 9010),
 * {@code --host HOST} (default localhost), {@code --db-url URL} (default {@value DbStatus#DEFAULT_URL}). Ctrl-C
 * stops it, closing the servers and the pool in a shutdown hook.
 *
 * <p>{@link #start} runs it inside another program, as it-tests' browser test does. Thread-safe.
 */
public final class Showcase implements AutoCloseable {

    /** The HTTP port unless told otherwise. */
    public static final int PORT = 8080;

    /** What {@code showcase --help} prints. */
    static final String USAGE = """
            usage: showcase [--host HOST] [--port PORT] [--chat-port PORT] [--db-url URL]
              --host HOST        the address to listen on (default localhost)
              --port PORT        the HTTP port (default 8080, or -Dshowcase.port; 0 for a free one)
              --chat-port PORT   the chat server's port (default 9010; 0 for a free one)
              --db-url URL       the database (default %s)
              --help             print this""".formatted(DbStatus.DEFAULT_URL);

    private static final Duration REMOTE_CALL_TIMEOUT = Duration.ofSeconds(5);

    private final HttpServer http;
    private final ServerSocket chat;
    private final RemotePingPong.PongServer remoteServer;
    private final RemoteClient remoteClient;
    private final Tasklet<Void> remotePinger;
    private final DbStatus db;
    private final DemoTasklets demos;
    private final RequestMetrics metrics;
    /** Set by the first {@link #close()}. */
    private final AtomicBoolean closed = new AtomicBoolean();

    private Showcase(HttpServer http, ServerSocket chat, RemotePingPong.PongServer remoteServer,
            RemoteClient remoteClient, Tasklet<Void> remotePinger, DbStatus db, DemoTasklets demos,
            RequestMetrics metrics) {
        this.http = http;
        this.chat = chat;
        this.remoteServer = remoteServer;
        this.remoteClient = remoteClient;
        this.remotePinger = remotePinger;
        this.db = db;
        this.demos = demos;
        this.metrics = metrics;
    }

    /**
     * Starts the showcase: the HTTP server on {@code host}:{@code port}, the chat server on
     * {@code host}:{@code chatPort} (either 0: a free port), the remote pair on a free port of 127.0.0.1, and a
     * pool for {@code dbUrl} (not connected until a probe or page needs it; a database that cannot be reached is
     * shown, not thrown). May be called from a tasklet or a platform thread.
     *
     * @param host the address to listen on
     * @param port the HTTP port, 0 for a free one
     * @param chatPort the chat server's port, 0 for a free one
     * @param dbUrl the database's {@code jdbc:concurrence:mysql:} URL
     * @return the running showcase; close it to stop
     * @throws RuntimeException if a port cannot be bound (whatever was started is closed)
     */
    public static Showcase start(String host, int port, int chatPort, String dbUrl) {
        DemoTasklets demos = new DemoTasklets();
        DbStatus db = new DbStatus(dbUrl);
        RemotePingPong.PongServer remoteServer = null;
        RemoteClient remoteClient = null;
        ServerSocket chat = null;
        RequestMetrics metrics = null;
        try {
            remoteServer = RemotePingPong.serve("127.0.0.1", 0, System.out);
            remoteClient = RemoteClient.builder().host("127.0.0.1").port(remoteServer.port())
                    .allow(RemotePingPong.PROTOCOL).connect();
            Tasklet<Void> pinger = pingEverySecond(remoteClient);
            chat = Chat.start(host, chatPort);
            Holder holder = new Holder(db, remoteServer, remoteClient);
            Router router = Router.create().controller(new ExampleController())
                    .get("/", Showcase::index)
                    .get("/hello", Showcase::hello)
                    .get("/db", (request, response) -> database(db, response));
            new Diagnostics(holder, demos).routes(router);
            // The event streams last as long as a page is open: not requests with a latency.
            metrics = new RequestMetrics(router, request -> request.path().equals(Diagnostics.EVENTS));
            holder.metrics = metrics;
            HttpServer http = HttpServer.builder().host(host).port(port).handler(metrics).build().start();
            Showcase showcase = new Showcase(http, chat, remoteServer, remoteClient, pinger, db, demos, metrics);
            return showcase;
        } catch (RuntimeException e) {
            closeQuietly(demos, db, remoteServer, remoteClient, chat, metrics);
            throw e;
        }
    }

    /** The HTTP server's port. */
    public int port() {
        return http.port();
    }

    /** The chat server's port. */
    public int chatPort() {
        return chat.port();
    }

    /** Stops the servers, the demo and background tasklets, and closes the pool. Idempotent; any thread. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.close();
        remotePinger.kill();
        closeQuietly(demos, db, remoteServer, remoteClient, chat, metrics);
    }

    // ---- the pages besides the diagnostics ----

    private static void index(HttpRequest request, HttpResponse response) {
        response.contentType("text/html; charset=UTF-8").send("""
                <!DOCTYPE html>
                <html><head><title>Concurrence showcase</title></head><body>
                <h1>Concurrence showcase</h1>
                <ul>
                <li><a href="/diagnostics">Diagnostics</a>: the live tasklet forest, pushed every second
                    (Server-Sent Events; <a href="/diagnostics.json">JSON</a>)</li>
                <li>The seed's greeter: <a href="/hello">/hello</a></li>
                <li>The web example: <a href="/greeting">/greeting</a>, <a href="/welcome">/welcome</a>,
                    <a href="/farewell">/farewell</a>, <a href="/sum?msg=Total&amp;a=1&amp;b=2">/sum</a>,
                    <a href="/wrapper">/wrapper</a></li>
                <li>The database: <a href="/db">/db</a></li>
                <li>The chat server: <code>telnet localhost PORT</code> (the port is printed at start)</li>
                </ul></body></html>
                """);
    }

    /** The greeter's greeting, over HTTP (the {@code greeter} example answers it on a raw socket). */
    private static void hello(HttpRequest request, HttpResponse response) {
        response.contentType("text/plain; charset=US-ASCII").send("Hello World!");
    }

    private static void database(DbStatus db, HttpResponse response) {
        String body;
        try {
            String[] row = db.nowAndVersion();
            body = "<p id=\"db-status\">connected to " + escape(db.url()) + "</p><p>NOW() = " + escape(row[0])
                    + ", VERSION() = " + escape(row[1]) + "</p>";
        } catch (SQLException | RuntimeException e) {
            body = "<p id=\"db-status\">database not reachable at " + escape(db.url()) + ": "
                    + escape(String.valueOf(e.getMessage())) + "</p>";
        }
        response.contentType("text/html; charset=UTF-8")
                .send("<!DOCTYPE html><html><head><title>Database</title></head><body>" + body + "</body></html>");
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    // ---- the remote pair ----

    private static Tasklet<Void> pingEverySecond(RemoteClient client) {
        AtomicInteger n = new AtomicInteger();
        return Tasklet.named("remote-pinger").daemon(true).interval(Duration.ofSeconds(1), () -> {
            RemoteTasklet pong = client.lookup(RemotePingPong.NAME, REMOTE_CALL_TIMEOUT);
            pong.call(new RemotePingPong.Ping(n.incrementAndGet()), REMOTE_CALL_TIMEOUT);
        });
    }

    /** The diagnostics' figures; the metrics are set once the server is built. */
    private static final class Holder implements Diagnostics.Sources {
        private final DbStatus db;
        private final RemotePingPong.PongServer remoteServer;
        private final RemoteClient remoteClient;
        /** Set once by {@link #start} before the server starts; read by the diagnostics' requests. */
        volatile @Nullable RequestMetrics metrics;

        Holder(DbStatus db, RemotePingPong.PongServer remoteServer, RemoteClient remoteClient) {
            this.db = db;
            this.remoteServer = remoteServer;
            this.remoteClient = remoteClient;
        }

        @Override
        public RequestMetrics.Sample http() {
            RequestMetrics m = metrics;
            return m == null ? new RequestMetrics.Sample(0, 0, 0, 0) : m.sample();
        }

        @Override
        public DbStatus db() {
            return db;
        }

        @Override
        public RemoteServer.Stats remoteServer() {
            return remoteServer.stats();
        }

        @Override
        public RemoteClient.Stats remoteClient() {
            return remoteClient.stats();
        }
    }

    private static void closeQuietly(DemoTasklets demos, DbStatus db, RemotePingPong.@Nullable PongServer server,
            @Nullable RemoteClient client, @Nullable ServerSocket chat, @Nullable RequestMetrics metrics) {
        demos.close();
        db.close();
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
        if (chat != null) {
            chat.close();
        }
        if (metrics != null) {
            metrics.close();
        }
    }

    // ---- the command ----

    /** The example's body: runs inside {@link Concurrence#dispatch} until Ctrl-C. */
    static void main(List<String> args) {
        Map<String, String> options = options(args);
        if (options == null) {
            return;
        }
        String host = options.getOrDefault("--host", "localhost");
        String dbUrl = options.getOrDefault("--db-url", DbStatus.DEFAULT_URL);
        int port;
        int chatPort;
        try {
            port = Integer.parseInt(options.getOrDefault("--port", Integer.toString(Integer.getInteger(
                    "showcase.port", PORT))));
            chatPort = Integer.parseInt(options.getOrDefault("--chat-port", Integer.toString(Chat.PORT)));
        } catch (NumberFormatException e) {
            System.err.println("showcase: a port must be a number: " + e.getMessage() + "\n" + USAGE);
            Concurrence.quit(Examples.EXIT_USAGE);
            return;
        }
        Showcase showcase;
        try {
            showcase = start(host, port, chatPort, dbUrl);
        } catch (RuntimeException e) {
            System.err.println("showcase: cannot start on " + host + ":" + port + " (chat " + chatPort + "): "
                    + e.getMessage());
            Concurrence.quit(Concurrence.EXIT_ERROR);
            return;
        }
        String base = "http://" + host + ":" + showcase.port();
        System.out.println("Concurrence showcase on " + base + "/");
        System.out.println("  diagnostics  " + base + "/diagnostics   (JSON: " + base + "/diagnostics.json)");
        System.out.println("  greeter      " + base + "/hello");
        System.out.println("  web          " + base
                + "/greeting  /welcome  /farewell  /sum?msg=Total&a=1&b=2  /wrapper");
        System.out.println("  chat         telnet " + host + " " + showcase.chatPort());
        System.out.println("  database     " + base + "/db  (" + showcase.db.url() + ")");
        System.out.println("Ctrl-C stops it.");
        // Ctrl-C ends the dispatch and the JVM; the hook closes the servers and the pool on the way out.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            showcase.close();
            System.out.println("showcase stopped");
        }, "showcase-shutdown"));
    }

    /** The options, or null when they were wrong or {@code --help} (usage printed, quit called). */
    private static @Nullable Map<String, String> options(List<String> args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (name.equals("--help")) {
                System.out.println(USAGE);
                Concurrence.quit(Concurrence.EXIT_OK);
                return null;
            }
            if (!List.of("--host", "--port", "--chat-port", "--db-url").contains(name) || i + 1 == args.size()) {
                System.err.println("showcase: unknown option or missing value: " + name + "\n" + USAGE);
                Concurrence.quit(Examples.EXIT_USAGE);
                return null;
            }
            options.put(name, args.get(++i));
        }
        return options;
    }

    /**
     * Runs the showcase.
     *
     * @param args the options (see the class documentation)
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(() -> main(List.of(args))));
    }
}
