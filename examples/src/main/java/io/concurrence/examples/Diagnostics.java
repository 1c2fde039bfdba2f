package io.concurrence.examples;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import io.concurrence.Tasklet;
import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;
import io.concurrence.web.Router;

/**
 * The showcase's diagnostics: {@code /diagnostics}, a plain HTML page whose small script fetches
 * {@code /diagnostics.json} every second and shows it; the JSON itself (the tasklet forest from
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

    private final Sources sources;
    private final DemoTasklets demos;
    private final byte[] page;

    Diagnostics(Sources sources, DemoTasklets demos) {
        this.sources = sources;
        this.demos = demos;
        this.page = loadPage();
    }

    /** Adds the diagnostics routes to {@code router}. */
    Router routes(Router router) {
        return router.get("/diagnostics", this::page)
                .get("/diagnostics.json", this::json)
                .post("/diagnostics/spawn", this::spawn)
                .post("/diagnostics/kill", this::kill);
    }

    private void page(HttpRequest request, HttpResponse response) {
        response.contentType("text/html; charset=UTF-8").send(page);
    }

    private void json(HttpRequest request, HttpResponse response) {
        response.contentType("application/json").header("Cache-Control", "no-store").send(snapshot());
    }

    private void spawn(HttpRequest request, HttpResponse response) {
        int n;
        try {
            n = Integer.parseInt(request.query("n").orElse("5"));
            List<String> names = demos.spawn(n);
            JsonWriter out = new JsonWriter().beginObject().name("spawned").beginArray();
            names.forEach(out::value);
            response.contentType("application/json").send(out.endArray().endObject().toString());
        } catch (IllegalArgumentException e) {
            response.status(400).contentType("text/plain; charset=UTF-8")
                    .send("n must be a number from 1 to " + DemoTasklets.MAX_PER_REQUEST + "\n");
        }
    }

    private void kill(HttpRequest request, HttpResponse response) {
        int killed = demos.killAll();
        response.contentType("application/json").send("{\"killed\":" + killed + "}");
    }

    /** The JSON document the page shows. */
    String snapshot() {
        JsonWriter out = new JsonWriter().beginObject();
        out.name("time").value(Instant.now().toString());
        Tasklet.Stats stats = Tasklet.stats();
        out.name("tasklets").beginObject()
                .name("spawned").value(stats.spawned())
                .name("alive").value(stats.alive())
                .name("messagesSent").value(stats.messagesSent())
                .name("deadLetters").value(stats.deadLetters())
                .endObject();
        out.name("roots").beginArray();
        for (Tasklet<?> root : sorted(Tasklet.roots())) {
            tasklet(root, out);
        }
        out.endArray();
        http(out);
        db(out);
        remote(out);
        return out.endObject().toString();
    }

    private static void tasklet(Tasklet<?> tasklet, JsonWriter out) {
        out.beginObject()
                .name("id").value(tasklet.id())
                .name("name").value(tasklet.name())
                .name("state").value(tasklet.state())
                .name("mailbox").value(tasklet.mailbox().size())
                .name("children").beginArray();
        for (Tasklet<?> child : sorted(tasklet.children())) {
            tasklet(child, out);
        }
        out.endArray().endObject();
    }

    private void http(JsonWriter out) {
        RequestMetrics.Sample http = sources.http();
        out.name("http").beginObject()
                .name("requests").value(http.requests())
                .name("perSecond").value(http.perSecond())
                .name("meanMillis").value(http.meanMillis())
                .name("maxMillis").value(http.maxMillis())
                .endObject();
    }

    private void db(JsonWriter out) {
        DbStatus db = sources.db();
        DbStatus.Probe probe = db.probe();
        out.name("db").beginObject()
                .name("url").value(db.url())
                .name("reachable").value(probe.reachable())
                .name("status").value(probe.status());
        ConcurrenceDataSource.PoolStats pool = db.poolStats();
        if (pool != null) {
            out.name("pool").beginObject()
                    .name("size").value(pool.size())
                    .name("allocated").value(pool.allocated())
                    .name("acquired").value(pool.acquired())
                    .name("idle").value(pool.idle())
                    .name("pending").value(pool.pending())
                    .endObject();
        }
        out.endObject();
    }

    private void remote(JsonWriter out) {
        RemoteServer.Stats server = sources.remoteServer();
        RemoteClient.Stats client = sources.remoteClient();
        out.name("remote").beginObject()
                .name("server").beginObject()
                .name("connections").value(server.connections())
                .name("delivered").value(server.delivered())
                .name("refusedSends").value(server.refusedSends())
                .name("refusedCalls").value(server.refusedCalls())
                .endObject()
                .name("client").beginObject()
                .name("connectedServers").value(client.connectedServers())
                .name("calls").value(client.calls())
                .name("failedCalls").value(client.failedCalls())
                .name("sends").value(client.sends())
                .endObject()
                .endObject();
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
