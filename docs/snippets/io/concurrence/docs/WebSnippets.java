package io.concurrence.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;
import io.concurrence.web.Filter;
import io.concurrence.web.Router;
import io.concurrence.web.ServerSentEvents;
import io.concurrence.web.StaticFiles;
import io.concurrence.web.TimeoutFilter;

/** The snippets of docs/web.md. */
final class WebSnippets {

    private WebSnippets() {
    }

    // tag::filter[]
    /** Acts before and after the rest of the chain. */
    static final class Logging implements Filter {
        @Override
        public void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
            System.out.println("before " + request.path());
            try {
                next.handle(request, response);
            } finally {
                System.out.println("after " + request.path());
            }
        }
    }
    // end::filter[]

    @Snippet(output = {"before /hello", "after /hello", "Hello"})
    static void filter() {
        Router router = Router.create().filter(new Logging()).get("/hello", (req, res) -> res.send("Hello"));
        HttpServer server = HttpServer.builder().port(0).handler(router).build().start();
        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + server.port()).build();
             HttpClient.Response response = client.get("/hello")) {
            System.out.println(response.bodyText());
        } finally {
            server.stop(Duration.ofSeconds(10));
        }
    }

    @Snippet(output = {"Hello", "item 42", "hello from a file", "Total 3", "Hello World", "201",
        })
    static void router() throws Exception {
        Path dir = Files.createTempDirectory("public");
        Files.writeString(dir.resolve("index.txt"), "hello from a file");
        Path publicDir = dir;   // in the page: Path.of("public")
        // tag::router[]
        Router router = Router.create()
                .filter(new TimeoutFilter(Duration.ofSeconds(5)))            // every request: a 5 s ambient deadline
                .get("/hello", (req, res) -> res.send("Hello"))
                .get("/items/{id}", (req, res) -> res.send("item " + req.pathParam("id")))
                .get("/static/{path...}", StaticFiles.directory(publicDir))
                .controller(new ExampleController());
        HttpServer server = HttpServer.builder().port(0).handler(router).build().start();   // 0: a free port
        // end::router[]
        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + server.port()).build()) {
            for (String path : new String[] {"/hello", "/items/42", "/static/index.txt", "/sum?msg=Total&a=1&b=2",
                "/welcome"}) {
                try (HttpClient.Response r = client.get(path)) {
                    System.out.println(r.bodyText());
                }
            }
            try (HttpClient.Response r = client.send(HttpClient.Request.post("/users", "{\"id\":7,\"name\":\"ann\"}")
                    .header("Content-Type", "application/json"), Duration.ofSeconds(5))) {
                System.out.println(r.status());
            }
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
        Files.delete(dir.resolve("index.txt"));
        Files.delete(dir);
    }

    @Snippet(output = {"{\"id\":7,\"name\":\"ann\"}", "404"})
    static void users() {
        HttpServer server = HttpServer.builder().port(0).handler(Router.create().controller(new ExampleController()))
                .build().start();
        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + server.port()).build()) {
            client.send(HttpClient.Request.post("/users", "{\"id\":7,\"name\":\"ann\"}")
                    .header("Content-Type", "application/json"), Duration.ofSeconds(5)).close();
            try (HttpClient.Response r = client.get("/users/7")) {
                System.out.println(r.bodyText());
            }
            try (HttpClient.Response r = client.get("/users/8")) {
                System.out.println(r.status());
            }
        } finally {
            server.stop(Duration.ofSeconds(5));
        }
    }

    @Snippet(output = {"event: tick", "data: 0", "", "event: tick", "data: 1"})
    static void sse() {
        Router router = Router.create();
        // tag::sse[]
        router.get("/ticks", (req, res) -> {
            try (ServerSentEvents events = ServerSentEvents.open(res)) {
                for (int i = 0; ; i++) {
                    events.send("tick", Integer.toString(i));   // one event, flushed; blocks while the client is slow
                    Tasklet.sleep(Duration.ofSeconds(1));
                }
            }
        });
        // end::sse[]
        HttpServer server = HttpServer.builder().port(0).handler(router).build().start();
        try (HttpClient client = HttpClient.builder().baseUrl("http://localhost:" + server.port()).build();
             HttpClient.Response r = client.get("/ticks")) {
            var lines = new java.io.BufferedReader(new java.io.InputStreamReader(r.body(),
                    java.nio.charset.StandardCharsets.UTF_8));
            for (int i = 0; i < 5; i++) {
                System.out.println(lines.readLine());
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            server.stop(Duration.ZERO);
        }
    }
}
