package io.concurrence.docs;

import java.time.Duration;

import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;

/** The snippets of docs/http.md. */
final class HttpSnippets {

    private HttpSnippets() {
    }

    // tag::handler[]
    /** Greets whoever the query names. */
    static final class Greeting implements HttpHandler {
        @Override
        public void handle(HttpRequest request, HttpResponse response) throws Exception {
            response.send("Hello, " + request.query("name").orElse("world"));
        }
    }
    // end::handler[]

    @Snippet(output = "Hello, tasklets")
    static void handler() {
        HttpServer server = HttpServer.builder().port(0).handler(new Greeting()).build().start();
        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + server.port()).build();
             HttpClient.Response response = client.get("/?name=tasklets")) {
            System.out.println(response.bodyText());
        } finally {
            server.stop(Duration.ofSeconds(10));
        }
    }

    @Snippet(output = "200 Hello, tasklets")
    static void hello() {
        // tag::hello[]
        HttpServer server = HttpServer.builder()
                .port(0)                                  // 0: a free port, then server.port(); e.g. 8080
                .handler((request, response) -> response.send("Hello, " + request.query("name").orElse("world")))
                .build()
                .start();

        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + server.port()).build();
             HttpClient.Response response = client.get("/?name=tasklets")) {
            System.out.println(response.status() + " " + response.bodyText());   // 200 Hello, tasklets
        }

        server.stop(Duration.ofSeconds(10));   // graceful
        // end::hello[]
    }

    @Snippet(output = "created: {\"id\":1,\"name\":\"Cup\"}")
    static void client() {
        HttpServer api = HttpServer.builder()
                .port(0)
                .handler((request, response) -> {
                    String name = request.bodyText().replaceAll(".*\"name\":\"([^\"]*)\".*", "$1");
                    response.status(201).header("Content-Type", "application/json")
                            .send("{\"id\":1,\"name\":\"" + name + "\"}");
                })
                .build()
                .start();
        String baseUrl = "http://localhost:" + api.port();   // in the page: https://api.example.com
        String json = "{\"name\":\"Cup\"}";
        // tag::client[]
        HttpClient client = HttpClient.builder()
                .baseUrl(baseUrl)
                .maxConnections(64)                      // per host; keep-alive
                .pendingAcquireMaxCount(10_000)          // tasklets allowed to wait for a connection
                .connectTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(30))
                .build();

        try (HttpClient.Response r = client.send(HttpClient.Request.post("/items", json)
                .header("Content-Type", "application/json"), Duration.ofSeconds(5))) {
            if (r.status() == 201) {
                System.out.println("created: " + r.bodyText());
            }
        }
        // end::client[]
        client.close();
        api.stop(Duration.ofSeconds(5));
    }
}
