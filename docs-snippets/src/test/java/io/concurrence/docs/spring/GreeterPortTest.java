package io.concurrence.docs.spring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpServer;

// docs/spring-boot.md's "Lifecycle and port": a @SpringBootTest reads the free port the server picked. The
// application is SnippetApplication (found by package), with the guide's beans.
// tag::port[]
@SpringBootTest(properties = {"concurrence.http.port=0", "concurrence.remote.server.port=0"})
class GreeterPortTest {
    @Value("${local.concurrence.http.port}") int port;

    @Autowired HttpServer server;

    @Test
    void thePublishedPortIsTheServersAndServesTheGuidesRoutes() {
        assertThat(port).isPositive().isEqualTo(server.port());
        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + port).build();
             HttpClient.Response response = client.get("/hello/port")) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("Hello, port");
        }
    }
}
// end::port[]
