package io.concurrence.examples;

import static io.concurrence.examples.ExampleRun.capture;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.concurrence.Concurrence;
import io.concurrence.Tasklet;
import io.concurrence.http.HttpClient;
import io.concurrence.net.Socket;

/**
 * The showcase, the README's first command: its options, and its servers (the diagnostics themselves are tested
 * in it-tests, with and without a browser).
 */
@org.junit.jupiter.api.Timeout(60)
class ShowcaseTest {

    private static final Duration SAFETY = Duration.ofSeconds(10);
    private static final String NO_DB = "jdbc:concurrence:mysql://127.0.0.1:1/test?user=root&password=";

    @Test
    void helpPrintsTheOptionsAndQuitsWithZero() {
        ExampleRun run = capture(() -> Examples.run("showcase", "--help"));

        assertThat(run.exitCode()).isEqualTo(Concurrence.EXIT_OK);
        assertThat(run.out()).contains("usage: showcase", "--port", "--chat-port", "--db-url");
    }

    @Test
    void anUnknownOptionOrABadPortIsRefusedWithTheUsage() {
        ExampleRun unknown = capture(() -> Examples.run("showcase", "--nope", "1"));
        ExampleRun badPort = capture(() -> Examples.run("showcase", "--port", "eighty"));

        assertThat(unknown.exitCode()).isEqualTo(Examples.EXIT_USAGE);
        assertThat(unknown.err()).contains("--nope", "usage: showcase");
        assertThat(badPort.exitCode()).isEqualTo(Examples.EXIT_USAGE);
        assertThat(badPort.err()).contains("a port must be a number", "usage: showcase");
    }

    @Test
    void oneHttpServerAnswersTheGreeterTheWebRoutesAndTheDiagnosticsAndTheChatAnswersBeside() {
        try (Showcase showcase = Showcase.start("127.0.0.1", 0, 0, NO_DB)) {
            String base = "http://127.0.0.1:" + showcase.port();
            Tasklet.spawn(() -> {
                try (HttpClient client = HttpClient.builder().baseUrl(base).build()) {
                    assertThat(body(client, "/hello")).isEqualTo("Hello World!");
                    assertThat(body(client, "/sum?msg=Total&a=1&b=2")).contains("Total 3", "Example Page");
                    assertThat(body(client, "/")).contains("/diagnostics", "/hello", "/greeting", "/db");
                    assertThat(body(client, "/diagnostics.json")).contains("\"name\":\"demo-supervisor\"");
                }
                try (Socket chat = Socket.connect("127.0.0.1", showcase.chatPort(), SAFETY)) {
                    assertThat(chat.readLine(SAFETY)).isEqualTo("type 'quit' to exit..");
                }
            }).join(SAFETY);
        }
    }

    private static String body(HttpClient client, String path) {
        try (HttpClient.Response response = client.send(HttpClient.Request.get(path), SAFETY)) {
            assertThat(response.status()).as(path).isEqualTo(200);
            return response.bodyText();
        }
    }
}
