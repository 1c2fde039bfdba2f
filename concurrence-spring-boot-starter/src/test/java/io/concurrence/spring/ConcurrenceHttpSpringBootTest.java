package io.concurrence.spring;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import io.concurrence.http.HttpServer;
import io.concurrence.web.Get;
import io.concurrence.web.PathParam;
import io.concurrence.web.Post;
import io.concurrence.web.Router;

import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP auto-configuration in a Spring Boot application, as users run it: beans of the application, port 0. */
@SpringBootTest(classes = ConcurrenceHttpSpringBootTest.App.class,
        properties = {"concurrence.http.port=0", "concurrence.http.host=127.0.0.1"})
class ConcurrenceHttpSpringBootTest {

    private static final Duration SAFETY = Duration.ofSeconds(20);

    @Value("${local.concurrence.http.port}")
    private int port;

    @Autowired
    private HttpServer server;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(SAFETY).build();

    @Test
    void serverListensOnTheFreePortItPublished() {
        assertThat(port).isPositive().isEqualTo(server.port());
    }

    @Test
    void controllerBeanAnswersItsRoutes() throws Exception {
        HttpResponse<String> get = send(HttpRequest.newBuilder(uri("/items/42")));
        assertThat(get.statusCode()).isEqualTo(200);
        assertThat(get.body()).isEqualTo("item 42");

        HttpResponse<String> post = send(HttpRequest.newBuilder(uri("/items"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(post.statusCode()).isEqualTo(200);
        assertThat(post.body()).isEqualTo("created");
    }

    @Test
    void routerBeanAnswersWhatTheControllersDoNot() throws Exception {
        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/ping")));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("pong");
        assertThat(send(HttpRequest.newBuilder(uri("/missing"))).statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return client.send(request.timeout(SAFETY).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** The application: one controller bean and one Router bean. */
    @SpringBootConfiguration
    @ImportAutoConfiguration(ConcurrenceHttpAutoConfiguration.class)
    static class App {

        @Bean
        Router pingRouter() {
            return Router.create().get("/ping", (request, response) -> response.send("pong"));
        }

        @Bean
        ItemController itemController() {
            return new ItemController();
        }
    }

    /** A controller: a plain class with annotated methods, defined as a bean. */
    public static class ItemController {

        @Get("/items/{id}")
        public String item(@PathParam("id") String id) {
            return "item " + id;
        }

        @Post("/items")
        public String create() {
            return "created";
        }
    }
}
