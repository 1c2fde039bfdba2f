package io.concurrence.it.showcase;

import static io.concurrence.it.showcase.ShowcaseHttp.demoNames;
import static io.concurrence.it.showcase.ShowcaseHttp.nextSnapshot;
import static io.concurrence.it.showcase.ShowcaseHttp.tasklets;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.examples.Showcase;
import io.concurrence.it.support.Bounded;

/**
 * The showcase's {@code /diagnostics.json} without a browser: the demo tasklets appear under their supervisor with
 * their states and mailbox depths and go when killed; the counters, the HTTP figures and the remote calls move; a
 * database that cannot be reached is a status, not a failure.
 */
@org.junit.jupiter.api.Timeout(120)
class DiagnosticsJsonTest {

    /** Nothing listens there: the showcase must start anyway and say so. */
    private static final String UNREACHABLE_DB = "jdbc:concurrence:mysql://127.0.0.1:1/test?user=root&password=";

    /** For figures that move once a second (the sampler, the remote pinger), or a probe (CI: 2 shared cores). */
    private static final Duration BOUND = Duration.ofSeconds(30);

    private Showcase showcase;
    private ShowcaseHttp http;

    @BeforeEach
    void start() {
        showcase = Showcase.start("127.0.0.1", 0, 0, UNREACHABLE_DB);
        http = new ShowcaseHttp(showcase.port());
    }

    @AfterEach
    void stop() {
        showcase.close();
    }

    @Test
    void demoTaskletsAppearUnderTheirSupervisorWithStateAndMailboxThenGoWhenKilled() {
        assertThat(demoNames(http.diagnostics())).isEmpty();

        var spawned = http.post("/diagnostics/spawn?n=3");

        assertThat(spawned.statusCode()).isEqualTo(200);
        assertThat(spawned.body()).isEqualTo("{\"spawned\":[\"demo-1\",\"demo-2\",\"demo-3\"]}");
        AtomicReference<Map<String, Object>> last = new AtomicReference<>(Map.of());
        Bounded.until(() -> {
            last.set(http.diagnostics());
            return tasklets(last.get()).stream().filter(t -> ((String) t.get("name")).startsWith("demo-"))
                    .allMatch(t -> ((String) t.get("state")).startsWith("waiting on"));
        }, BOUND, "the demo tasklets park", last::get);
        List<Map<String, Object>> demos = tasklets(last.get()).stream()
                .filter(t -> ((String) t.get("name")).matches("demo-\\d+")).toList();
        assertThat(demos).extracting(t -> t.get("name")).containsExactly("demo-1", "demo-2", "demo-3");
        assertThat(demos).allSatisfy(t -> assertThat(t.get("parent")).isEqualTo("demo-supervisor"));
        assertThat(demos.get(0).get("state")).asString().startsWith("waiting on Mailbox");
        assertThat(demos.get(1).get("state")).isEqualTo("waiting on Tasklet.sleep");
        assertThat(((Number) demos.get(1).get("mailbox")).intValue()).isEqualTo(1);
        assertThat(demos).extracting(t -> ((Number) t.get("id")).longValue()).isSorted().doesNotHaveDuplicates();

        var killed = http.post("/diagnostics/kill");

        assertThat(killed.body()).isEqualTo("{\"killed\":3}");
        assertThat(demoNames(http.diagnostics())).isEmpty();
        assertThat(http.post("/diagnostics/spawn?n=1").body()).contains("demo-4");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theCountersTheHttpFiguresAndTheRemoteCallsMove() {
        Map<String, Object> first = http.diagnostics();
        Map<String, Object> stats = (Map<String, Object>) first.get("tasklets");
        assertThat(((Number) stats.get("spawned")).longValue())
                .isGreaterThanOrEqualTo(((Number) stats.get("alive")).longValue());
        assertThat(((Number) stats.get("alive")).longValue()).isPositive();
        assertThat(tasklets(first)).extracting(t -> t.get("name"))
                .contains("demo-supervisor", "pong", "remote-pinger", "http-metrics-sampler");

        AtomicReference<Map<String, Object>> last = new AtomicReference<>(first);
        Bounded.until(() -> {
            last.set(http.diagnostics());
            Map<String, Object> httpFigures = (Map<String, Object>) last.get().get("http");
            Map<String, Object> client = (Map<String, Object>) ((Map<String, Object>) last.get().get("remote"))
                    .get("client");
            return ((Number) httpFigures.get("requests")).longValue() > 0
                    && ((Number) client.get("calls")).longValue() > 0;
        }, BOUND, "the HTTP sampler counts requests and the remote pinger calls", last::get);
        Map<String, Object> remote = (Map<String, Object>) last.get().get("remote");
        assertThat(((Map<String, Object>) remote.get("server")).get("connections")).isEqualTo(1L);
        assertThat(((Map<String, Object>) remote.get("client")).get("failedCalls")).isEqualTo(0L);
    }

    @Test
    void theEventStreamPushesASnapshotEverySecondAndEndsWhenThePageLeaves() {
        HttpResponse<Stream<String>> response = http.lines("/diagnostics/events");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/event-stream; charset=UTF-8");
        try (Stream<String> lines = response.body()) {
            Iterator<String> events = lines.iterator();
            Map<String, Object> first = nextSnapshot(events);
            Map<String, Object> second = nextSnapshot(events);
            assertThat(first.get("pages")).isEqualTo(1L);
            assertThat(second.get("time")).isNotEqualTo(first.get("time"));
            assertThat(tasklets(second)).extracting(t -> t.get("name")).contains("demo-supervisor");
            assertThat(http.diagnostics().get("pages")).isEqualTo(1L);
        }

        // The client closed its end: the handler's next push fails and its stream is no longer counted.
        AtomicReference<Map<String, Object>> last = new AtomicReference<>(Map.of());
        Bounded.until(() -> {
            last.set(http.diagnostics());
            return Long.valueOf(0).equals(last.get().get("pages"));
        }, BOUND, "the stream's handler ends once the client has gone", last::get);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnreachableDatabaseIsAStatusAndThePagesStillAnswer() {
        AtomicReference<Map<String, Object>> db = new AtomicReference<>(Map.of());
        Bounded.until(() -> {
            db.set((Map<String, Object>) http.diagnostics().get("db"));
            return !String.valueOf(db.get().get("status")).contains("not probed yet");
        }, BOUND, "the database probe ran", db::get);

        assertThat(db.get().get("reachable")).isEqualTo(false);
        assertThat(db.get().get("status")).asString().startsWith("database not reachable");
        assertThat(db.get().get("url")).asString().endsWith("password=***");
        assertThat(http.get("/db").body()).contains("id=\"db-status\"", "database not reachable");
        assertThat(http.get("/hello").body()).isEqualTo("Hello World!");
        assertThat(http.get("/sum?msg=Total&a=1&b=2").body()).contains("Total 3");
        assertThat(http.get("/diagnostics").body()).contains("id=\"tree\"", "/diagnostics.json");
        assertThat(http.post("/diagnostics/spawn?n=0").statusCode()).isEqualTo(400);
        assertThat(http.post("/diagnostics/spawn?n=x").statusCode()).isEqualTo(400);
    }
}
