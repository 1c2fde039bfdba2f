package io.concurrence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import io.concurrence.TimeoutException;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpStatusException;
import io.concurrence.web.WebTestSupport.Reply;
import io.concurrence.web.WebTestSupport.TestServer;

/**
 * JSON in the web layer (Jackson 3 on the test class path): a {@code @Body} record read from JSON, a returned
 * object written as {@code application/json}, a malformed body answered 400 with a short message and no
 * internals, and {@link JsonFilter}, which makes a controller's answers and errors JSON without leaking what
 * went wrong inside.
 */
@Timeout(60)
class JsonTest {

    private static TestServer server;

    /** A request and response body. */
    public record Item(String name, int count, List<String> tags) {
    }

    /** An object whose serialization fails. */
    public static final class Broken {
        public String getSecret() {
            throw new IllegalStateException("password=hunter2");
        }
    }

    public static final class ItemsController {

        @Post("/items")
        public Item create(@Body Item item) {
            return new Item(item.name().toUpperCase(), item.count() + 1, item.tags());
        }

        @Post("/sum")
        public int sum(@Body List<Integer> values) {
            return values.stream().mapToInt(Integer::intValue).sum();
        }

        @Get("/map")
        public Map<String, Object> map() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("name", "Ann");
            map.put("age", 42);
            map.put("nothing", null);
            return map;
        }

        @Get("/overridden")
        public Item overridden(HttpResponse response) {
            response.contentType("text/plain");
            return new Item("x", 1, List.of());
        }

        @Get("/unserializable")
        public Broken unserializable() {
            return new Broken();
        }
    }

    /** The same kind of controller, with JSON errors. */
    @Filtered(JsonFilter.class)
    public static final class JsonApi {

        @Get("/api/items/{id}")
        public Item item(@PathParam("id") int id) {
            if (id == 7) {
                throw new HttpStatusException(404, "No item 7");
            }
            return new Item("item" + id, id, List.of());
        }

        @Post("/api/items")
        public Item create(@Body Item item) {
            return item;
        }

        @Get("/api/text")
        public String text() {
            return "{\"already\":\"json\"}";
        }

        @Get("/api/fail")
        public String fail() {
            throw new IllegalStateException("password=hunter2 in io.concurrence.web.Secret");
        }

        @Get("/api/slow")
        public String slow() {
            throw new TimeoutException("Channel.receive timed out after 5s (ambient Timeout)");
        }

        @Get("/api/query")
        public String query(@QueryParam("n") int n) {
            return "{\"n\":" + n + "}";
        }

        @Get("/api/streamed-then-failed")
        public void streamedThenFailed(HttpResponse response) throws Exception {
            response.outputStream().write("[1,".getBytes());
            response.outputStream().flush();
            throw new IllegalStateException("after commit");
        }
    }

    @BeforeAll
    static void startServer() {
        server = TestServer.start(Router.create().controller(new ItemsController()).controller(new JsonApi()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @Test
    void bodyRecordIsReadFromJsonAndReturnedObjectIsWrittenAsJson() {
        Reply reply = server.send("POST", "/items", "{\"name\":\"bolt\",\"count\":2,\"tags\":[\"m4\",\"steel\"]}",
                "Content-Type", "application/json");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("application/json");
        assertThat(reply.text()).isEqualTo("{\"name\":\"BOLT\",\"count\":3,\"tags\":[\"m4\",\"steel\"]}");
    }

    @Test
    void genericBodyTypeIsReadWithItsTypeArguments() {
        Reply reply = server.send("POST", "/sum", "[1, 2, 3]");

        assertThat(reply.text()).isEqualTo("6");
        assertThat(reply.header("Content-Type")).hasValue("application/json");
    }

    @Test
    void returnedMapIsWrittenInOrderWithNulls() {
        assertThat(server.get("/map").text()).isEqualTo("{\"name\":\"Ann\",\"age\":42,\"nothing\":null}");
    }

    @Test
    void returnedObjectIsAlwaysSentAsJson() {
        Reply reply = server.get("/overridden");

        assertThat(reply.header("Content-Type")).hasValue("application/json");
        assertThat(reply.text()).isEqualTo("{\"name\":\"x\",\"count\":1,\"tags\":[]}");
    }

    @Test
    void objectJacksonCannotWriteIs500WithoutInternals() {
        Reply reply = server.get("/unserializable");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.text()).isEqualTo("Internal Server Error");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "`{\"name\": \"bolt\", `| malformed JSON (line 1, column 18)",
        "`not json`| malformed JSON (line 1, column 1)",
        "`{\"name\": \"bolt\", \"count\": \"many\"}`"
                + "| a value of the wrong type or shape at count (line 1, column 27)",
        "`[1, 2]`| a value of the wrong type or shape (line 1, column 1)",
        "`{\"tags\": [\"a\", {}]}`| a value of the wrong type or shape at tags[1] (line 1, column 16)",
    })
    void malformedBodyIs400SayingWhatAndWhere(String body, String problem) {
        Reply reply = server.send("POST", "/items", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).isEqualTo("The request body is not valid JSON for Item: " + problem);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"name\": \"bolt\", ",
        "not json",
        "",
        "{\"name\": \"bolt\", \"count\": \"many\"}",
        "[1, 2]",
        "{\"name\": {\"nested\": true}}",
        "{\"tags\": [\"a\", {}]}",
        "\"just a string\"",
    })
    void malformedBodyIs400WithAShortMessageAndNoInternals(String body) {
        Reply reply = server.send("POST", "/items", body);

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text())
                .startsWith("The request body is not valid JSON for Item: ")
                .doesNotContain("\n")
                .doesNotContain("io.concurrence")
                .doesNotContain("tools.jackson")
                .doesNotContain("Exception")
                .doesNotContain("JsonTest")
                .doesNotContain("\tat ");
    }

    // ---- JsonFilter ----

    @Test
    void jsonFilterLabelsAnswersAsJson() {
        Reply reply = server.get("/api/items/3");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("application/json");
        assertThat(reply.text()).isEqualTo("{\"name\":\"item3\",\"count\":3,\"tags\":[]}");
    }

    @Test
    void jsonFilterLabelsAStringAnswerAsJson() {
        Reply reply = server.get("/api/text");

        assertThat(reply.header("Content-Type")).hasValue("application/json");
        assertThat(reply.text()).isEqualTo("{\"already\":\"json\"}");
    }

    @Test
    void jsonFilterTurnsAnHttpStatusExceptionIntoAJsonError() {
        Reply reply = server.get("/api/items/7");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.header("Content-Type")).hasValue("application/json");
        assertThat(reply.text()).isEqualTo("{\"status\":404,\"error\":\"No item 7\"}");
    }

    @Test
    void jsonFilterTurnsAnyOtherExceptionIntoA500WithoutInternals() {
        Reply reply = server.get("/api/fail");

        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.header("Content-Type")).hasValue("application/json");
        assertThat(reply.text()).isEqualTo("{\"status\":500,\"error\":\"Internal Server Error\"}");
    }

    @Test
    void jsonFilterTurnsATimeoutIntoA503() {
        Reply reply = server.get("/api/slow");

        assertThat(reply.status()).isEqualTo(503);
        assertThat(reply.text())
                .isEqualTo("{\"status\":503,\"error\":\"Service Unavailable: the request timed out\"}");
    }

    @Test
    void jsonFilterAnswersBindingFailuresAsJson() {
        Reply badBody = server.send("POST", "/api/items", "{oops");
        Reply badQuery = server.get("/api/query?n=x");

        assertThat(badBody.status()).isEqualTo(400);
        assertThat(badBody.header("Content-Type")).hasValue("application/json");
        assertThat(badBody.text()).startsWith("{\"status\":400,\"error\":\"The request body is not valid JSON for"
                + " Item: ");
        assertThat(badQuery.status()).isEqualTo(400);
        assertThat(badQuery.text())
                .isEqualTo("{\"status\":400,\"error\":\"The query parameter 'n' must be an integer, was 'x'\"}");
    }

    @Test
    void jsonFilterCannotReplaceAnAnswerAlreadyStreamingSoTheConnectionIsCut() {
        // The failure comes after the head and part of the body went out: the server closes the connection, so
        // the client cannot mistake the partial body for a whole one.
        assertThatThrownBy(() -> server.get("/api/streamed-then-failed")).isInstanceOf(UncheckedIOException.class);
        assertThat(server.get("/api/items/1").status()).as("the server still serves").isEqualTo(200);
    }

    @Test
    void routerWideJsonFilterDoesNotLabelThePlainTextAnswersOfRouterAndTimeoutFilterAsJson() {
        Router router = Router.create()
                .filter(new JsonFilter())
                .filter(new TimeoutFilter(Duration.ofHours(1)))
                .get("/x", (request, response) -> {
                    throw new TimeoutException("expired");
                });
        try (TestServer local = TestServer.start(router)) {
            Reply missing = local.get("/missing");
            Reply wrongMethod = local.send("POST", "/x", "");
            Reply timedOut = local.get("/x");

            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.header("Content-Type")).hasValue("text/plain; charset=UTF-8");
            assertThat(wrongMethod.status()).isEqualTo(405);
            assertThat(wrongMethod.header("Content-Type")).hasValue("text/plain; charset=UTF-8");
            assertThat(timedOut.status()).isEqualTo(503);
            assertThat(timedOut.header("Content-Type")).hasValue("text/plain; charset=UTF-8");
        }
    }
}
