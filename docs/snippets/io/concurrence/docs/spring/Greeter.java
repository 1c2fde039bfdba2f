package io.concurrence.docs.spring;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import io.concurrence.http.HttpHandler;
import io.concurrence.spring.HttpRoute;
import io.concurrence.web.Filter;
import io.concurrence.web.Get;
import io.concurrence.web.PathParam;
import io.concurrence.web.Router;

// The beans of docs/spring-boot.md's "What the server serves"; SpringSnippets runs them in an application.
// tag::beans[]
@Component
public class Greeter {                                  // a controller bean
    @Get("/hello/{name}")
    public String hello(@PathParam("name") String name) {
        return "Hello, " + name;
    }
}

@Configuration
class Web {
    @Bean
    @HttpRoute(value = "/upload", method = "POST")
    HttpHandler upload() {
        return (request, response) -> response.send(request.bodyText().length() + " chars");
    }

    @Bean
    Router admin() {
        return Router.create().get("/admin/ping", (request, response) -> response.send("pong"));
    }

    @Bean
    @Order(1)
    Filter timing() {
        return (request, response, next) -> {
            long start = System.nanoTime();
            next.handle(request, response);
            Web.record(request.path(), System.nanoTime() - start);
        };
    }
    // end::beans[]

    private static void record(String path, long nanos) {
        if (nanos < 0) {
            throw new IllegalStateException(path + " took a negative time");
        }
    }
    // tag::beans[]
}
// end::beans[]
