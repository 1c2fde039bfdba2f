package io.concurrence.docs.spring;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The application that runs the beans of docs/spring-boot.md on free ports (SpringSnippets drives it). */
@SpringBootApplication
public class SnippetApplication {

    /** Starts the application: HTTP and remoting on free ports, no banner. */
    public static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(SnippetApplication.class)
                .properties("concurrence.http.port=0", "concurrence.remote.server.port=0",
                        "spring.main.banner-mode=off")
                .run();
    }
}
