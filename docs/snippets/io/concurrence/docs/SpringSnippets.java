package io.concurrence.docs;

import java.time.Duration;

import org.springframework.context.ConfigurableApplicationContext;

import io.concurrence.docs.spring.SnippetApplication;
import io.concurrence.http.HttpClient;

/** Runs the beans of docs/spring-boot.md (docs/snippets/io/concurrence/docs/spring/) in a Spring Boot application. */
final class SpringSnippets {

    private SpringSnippets() {
    }

    @Snippet(output = {"Hello, tasklets", "11 chars", "pong"})
    static void beansServeRequests() {
        try (ConfigurableApplicationContext context = SnippetApplication.start();
             HttpClient client = HttpClient.builder()
                     .baseUrl("http://localhost:" + context.getEnvironment().getProperty("local.concurrence.http.port"))
                     .build()) {
            try (HttpClient.Response r = client.get("/hello/tasklets")) {
                System.out.println(r.bodyText());
            }
            try (HttpClient.Response r = client.send(HttpClient.Request.post("/upload", "hello world"),
                    Duration.ofSeconds(5))) {
                System.out.println(r.bodyText());
            }
            try (HttpClient.Response r = client.get("/admin/ping")) {
                System.out.println(r.bodyText());
            }
        }
    }
}
