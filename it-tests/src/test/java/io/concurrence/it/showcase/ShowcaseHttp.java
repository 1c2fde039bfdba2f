package io.concurrence.it.showcase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.openqa.selenium.json.Json;

/** A plain HTTP client for a running showcase: its JSON, parsed, and its routes. */
final class ShowcaseHttp {

    /** Any one exchange (CI runs on 2 shared cores). */
    private static final Duration EXCHANGE_TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(EXCHANGE_TIMEOUT).build();
    private final String base;

    ShowcaseHttp(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    String base() {
        return base;
    }

    HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
    }

    HttpResponse<String> post(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** Opens {@code path} as a stream of lines: returns once the response head has arrived. */
    HttpResponse<Stream<String>> lines(String path) {
        try {
            return client.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(EXCHANGE_TIMEOUT).GET().build(),
                    HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * The next {@code snapshot} event of a {@code text/event-stream}, its data parsed; fails if the stream ends first.
     */
    static Map<String, Object> nextSnapshot(Iterator<String> lines) {
        String event = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if ("snapshot".equals(event) && !data.isEmpty()) {
                    return new Json().toType(data.toString(), Json.MAP_TYPE);
                }
                event = null;
                data.setLength(0);
            } else if (line.startsWith("event:")) {
                event = line.substring("event:".length()).strip();
            } else if (line.startsWith("data:")) {
                data.append(line.substring("data:".length()).strip());
            }
        }
        throw new AssertionError("the event stream ended before a snapshot event");
    }

    /** {@code /diagnostics.json}, parsed. */
    Map<String, Object> diagnostics() {
        HttpResponse<String> response = get("/diagnostics.json");
        if (response.statusCode() != 200) {
            throw new AssertionError("/diagnostics.json answered " + response.statusCode() + ": " + response.body());
        }
        return new Json().toType(response.body(), Json.MAP_TYPE);
    }

    /** The tasklets of {@code diagnostics}' forest, depth-first, each with its parent's name ({@code ""}). */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> tasklets(Map<String, Object> diagnostics) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (Object root : (List<Object>) diagnostics.get("roots")) {
            walk((Map<String, Object>) root, "", all);
        }
        return all;
    }

    @SuppressWarnings("unchecked")
    private static void walk(Map<String, Object> tasklet, String parent, List<Map<String, Object>> into) {
        Map<String, Object> copy = new HashMap<>(tasklet);
        copy.put("parent", parent);
        into.add(copy);
        for (Object child : (List<Object>) tasklet.get("children")) {
            walk((Map<String, Object>) child, (String) tasklet.get("name"), into);
        }
    }

    /** The names of {@code diagnostics}' tasklets that start with {@code demo-} followed by a digit. */
    static List<String> demoNames(Map<String, Object> diagnostics) {
        return tasklets(diagnostics).stream().map(t -> (String) t.get("name"))
                .filter(name -> name.matches("demo-\\d+")).sorted().toList();
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return client.send(request.timeout(EXCHANGE_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
