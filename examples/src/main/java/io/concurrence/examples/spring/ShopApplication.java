package io.concurrence.examples.spring;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import io.concurrence.Concurrence;
import io.concurrence.examples.spring.Pricing.Price;
import io.concurrence.examples.spring.Pricing.PricingMsg;
import io.concurrence.spring.RemoteMessageTypes;

/**
 * The {@code spring} example: a Spring Boot application on concurrence-spring-boot-starter. The starter serves
 * {@link ItemController} on Concurrence's HTTP server (port {@value #HTTP_PORT}), backs {@code JdbcTemplate} and
 * {@code @Transactional} ({@link ItemService}) with a {@code ConcurrenceDataSource} on MariaDB/MySQL, runs the
 * {@link Pricing} endpoint on a remote server (port {@value #REMOTE_PORT}), and connects the
 * {@code pricingRemoteClient} bean to it, which the controller calls for {@code GET /items/{id}/price}.
 *
 * <p>Run it with {@code ./mvnw -q -pl examples -am -Prun -DskipTests package -Dexample=spring}, then
 * {@code curl http://localhost:8080/items}; Ctrl-C stops it. The database is {@code CONCURRENCE_MYSQL_URL}, or
 * {@code jdbc:concurrence:mysql://127.0.0.1:3306/test} as root with an empty password. The properties are the
 * defaults in {@link #defaults()}; arguments ({@code -Dexample.args="--concurrence.http.port=8081"}) override them,
 * as do system properties and environment variables.
 */
@SpringBootApplication
public class ShopApplication {

    /** The HTTP port unless overridden. */
    static final int HTTP_PORT = 8080;

    /** The remote server's port unless overridden. */
    static final int REMOTE_PORT = 9030;

    /** The database unless {@code CONCURRENCE_MYSQL_URL} is set. */
    static final String DEFAULT_DB_URL = "jdbc:concurrence:mysql://127.0.0.1:3306/test";

    /**
     * The message types the pricing protocol sends, allowed on the remote server and on every client.
     *
     * @return the types
     */
    @Bean
    RemoteMessageTypes pricingProtocol() {
        return RemoteMessageTypes.of(PricingMsg.class, Price.class);
    }

    /**
     * The application's properties, as defaults: every other property source (arguments, system properties,
     * environment) wins over them. No {@code application.properties}, which would apply to every Spring application
     * on the examples' class path.
     *
     * @return the properties
     */
    static Map<String, Object> defaults() {
        String url = System.getenv("CONCURRENCE_MYSQL_URL");
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.main.banner-mode", "off");
        properties.put("concurrence.http.port", HTTP_PORT);
        properties.put("spring.datasource.url", url != null && !url.isBlank() ? url : DEFAULT_DB_URL);
        properties.put("spring.datasource.username", "root");
        properties.put("spring.datasource.password", "");
        properties.put("concurrence.db.pool-size", 8);
        properties.put("concurrence.remote.server.host", "127.0.0.1");
        properties.put("concurrence.remote.server.port", REMOTE_PORT);
        // The client of the pricing endpoint: here the application's own server, wherever it listens.
        properties.put("concurrence.remote.clients.pricing.host", "127.0.0.1");
        properties.put("concurrence.remote.clients.pricing.port", "${local.concurrence.remote.port}");
        return properties;
    }

    /**
     * Starts the application.
     *
     * @param args Spring Boot arguments, {@code --name=value} properties overriding {@link #defaults()}
     * @return the running application; close it to stop
     */
    public static ConfigurableApplicationContext start(String... args) {
        return new SpringApplicationBuilder(ShopApplication.class).main(ShopApplication.class)
                .properties(defaults()).run(args);
    }

    /**
     * The example's body (runs inside {@link Concurrence#dispatch}): starts the application, which runs until
     * Ctrl-C.
     *
     * @param args Spring Boot arguments, as for {@link #start}
     */
    public static void main(List<String> args) {
        ConfigurableApplicationContext context = start(args.toArray(String[]::new));
        String port = context.getEnvironment().getProperty("local.concurrence.http.port");
        System.out.println("spring sample listening on http://localhost:" + port + "/ (try /items, /items/1/price)");
    }

    /**
     * Runs the example.
     *
     * @param args Spring Boot arguments, as for {@link #start}
     */
    public static void main(String[] args) {
        System.exit(Concurrence.dispatch(() -> main(List.of(args))));
    }
}
