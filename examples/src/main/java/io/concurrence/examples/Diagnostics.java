package io.concurrence.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import io.concurrence.Tasklet;
import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;
import io.concurrence.web.Router;
import io.concurrence.web.ServerSentEvents;

/**
 * The showcase's diagnostics: {@code /diagnostics}, a plain HTML page whose small script shows the snapshot that
 * {@code /diagnostics/events} pushes every second as a Server-Sent Event (one handler tasklet per open page, which
 * the page shows in its own tree); the same snapshot as {@code /diagnostics.json} (the tasklet forest from
 * {@link Tasklet#roots()} with each tasklet's id, name, state, mailbox depth and children; {@link Tasklet#stats()};
 * the HTTP request rate and latency; the database pool; the remote calls); and the routes that spawn and kill the
 * demo tasklets ({@code POST /diagnostics/spawn?n=5}, {@code POST /diagnostics/kill}). Thread-safe.
 */
final class Diagnostics {

    /** What the page's script fetches; the figures it shows. */
    interface Sources {
        RequestMetrics.Sample http();

        DbStatus db();

        RemoteServer.Stats remoteServer();

        RemoteClient.Stats remoteClient();
    }

    private static final Comparator<Tasklet<?>> SPAWN_ORDER = Comparator.comparingLong(Tasklet::id);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** The route that pushes the snapshots to a page. */
    static final String EVENTS = "/diagnostics/events";
    /** Between two snapshots pushed to a page. */
    static final Duration PUSH_PERIOD = Duration.ofSeconds(1);

    private final Sources sources;
    private final DemoTasklets demos;
    private final byte[] page;
    /** Open {@code /diagnostics/events} streams: the pages showing the diagnostics now. */
    private final AtomicInteger eventStreams = new AtomicInteger();

    Diagnostics(Sources sources, DemoTasklets demos) {
        this.sources = sources;
        this.demos = demos;
        this.page = loadPage();
    }

    /** Adds the diagnostics routes to {@code router}. */
    Router routes(Router router) {
        return router.get("/diagnostics", this::page)
                .get("/diagnostics.json", this::json)
                .get(EVENTS, this::events)
                .post("/diagnostics/spawn", this::spawn)
                .post("/diagnostics/kill", this::kill);
    }

    private void page(HttpRequest request, HttpResponse response) {
        response.contentType("text/html; charset=UTF-8").send(page);
    }

    private void json(HttpRequest request, HttpResponse response) {
        response.contentType("application/json").header("Cache-Control", "no-store").send(snapshot());
    }

    /**
     * Pushes a snapshot every {@link #PUSH_PERIOD} until the page goes away (the browser's EventSource reconnects
     * by itself when the stream breaks) or the server stops (which kills this handler).
     */
    private void events(HttpRequest request, HttpResponse response) {
        eventStreams.incrementAndGet();
        try (ServerSentEvents events = ServerSentEvents.open(response)) {
            while (true) {
                events.send("snapshot", snapshot());
                Tasklet.sleep(PUSH_PERIOD);
            }
        } catch (UncheckedIOException e) {
            // The page was closed or reloaded: its stream ends with it, nothing to report.
        } finally {
            eventStreams.decrementAndGet();
        }
    }

    private void spawn(HttpRequest request, HttpResponse response) {
        int n;
        try {
            n = Integer.parseInt(request.query("n").orElse("5"));
            List<String> names = demos.spawn(n);
            response.contentType("application/json").send(JSON.writeValueAsString(Map.of("spawned", names)));
        } catch (IllegalArgumentException e) {
            response.status(400).contentType("text/plain; charset=UTF-8")
                    .send("n must be a number from 1 to " + DemoTasklets.MAX_PER_REQUEST + "\n");
        }
    }

    private void kill(HttpRequest request, HttpResponse response) {
        int killed = demos.killAll();
        response.contentType("application/json").send(JSON.writeValueAsString(Map.of("killed", killed)));
    }

    /** The JSON document the page shows. */
    String snapshot() {
        List<Node> roots = sorted(Tasklet.roots()).stream().map(Diagnostics::node).toList();
        DbStatus db = sources.db();
        DbStatus.Probe probe = db.probe();
        Db database = new Db(db.url(), probe.reachable(), probe.status(), db.poolStats());
        Remote remote = new Remote(sources.remoteServer(), sources.remoteClient());
        return JSON.writeValueAsString(new Snapshot(Instant.now().toString(), eventStreams.get(), Tasklet.stats(),
                roots, sources.http(), database, remote));
    }

    private static Node node(Tasklet<?> tasklet) {
        return new Node(tasklet.id(), tasklet.name(), tasklet.state(), tasklet.mailbox().size(),
                sorted(tasklet.children()).stream().map(Diagnostics::node).toList());
    }

    /** The document: written by Jackson, in the order of the components; {@code pages}: open event streams. */
    record Snapshot(String time, int pages, Tasklet.Stats tasklets, List<Node> roots, RequestMetrics.Sample http,
                    Db db, Remote remote) {
    }

    /** One tasklet of the forest, with its children. */
    record Node(long id, String name, String state, int mailbox, List<Node> children) {
    }

    /** The database: where, whether it answers, and its pool once connected (absent before). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Db(String url, boolean reachable, String status, ConcurrenceDataSource.@Nullable PoolStats pool) {
    }

    /** The remote pair's figures. */
    record Remote(RemoteServer.Stats server, RemoteClient.Stats client) {
    }

    private static List<Tasklet<?>> sorted(Collection<Tasklet<?>> tasklets) {
        List<Tasklet<?>> list = new ArrayList<>(tasklets);
        list.sort(SPAWN_ORDER);
        return list;
    }

    private static byte[] loadPage() {
        try (InputStream in = Objects.requireNonNull(Diagnostics.class.getResourceAsStream("diagnostics.html"),
                "diagnostics.html is missing from the class path")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read diagnostics.html", e);
        }
    }
}
