package io.concurrence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.examples.spring.ItemService;
import io.concurrence.examples.spring.ShopApplication;
import io.concurrence.http.HttpServer;
import io.concurrence.remote.RemoteServer;

/**
 * Runs the {@code spring} example ({@link ShopApplication}) on free ports, as its command does but for the ports, and
 * drives it over HTTP: the list, an insert, a rejected insert that leaves nothing behind, and a price quoted through
 * the remote endpoint. Needs MariaDB/MySQL as {@link DbExamplesTest} does (skipped without, failed when
 * {@code CI=true}).
 */
@org.junit.jupiter.api.Timeout(120)
class SpringExampleTest {

    private static final Duration SAFETY = Duration.ofSeconds(20);

    private static final String SEED = "[{\"id\":1,\"name\":\"Teapot\",\"priceCents\":2495},"
            + "{\"id\":2,\"name\":\"Mug\",\"priceCents\":850},"
            + "{\"id\":3,\"name\":\"Kettle\",\"priceCents\":3999}]";

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(SAFETY)
            .build();

    @Test
    void itemsAreListedAddedRejectedWithRollbackAndPricedRemotely() throws Exception {
        DbExamplesTest.requireServer();

        HttpServer server;
        ConcurrenceDataSource dataSource;
        try (ConfigurableApplicationContext context = ShopApplication.start("--concurrence.http.port=0",
                "--concurrence.http.host=127.0.0.1", "--concurrence.remote.server.port=0")) {
            server = context.getBean(HttpServer.class);
            dataSource = context.getBean(ConcurrenceDataSource.class);
            int port = context.getEnvironment().getRequiredProperty("local.concurrence.http.port", Integer.class);
            assertThat(port).isPositive().isEqualTo(server.port()).isNotEqualTo(8080);
            assertThat(AopUtils.isAopProxy(context.getBean(ItemService.class)))
                    .as("the @Transactional service is proxied").isTrue();
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);

            HttpResponse<String> list = get(port, "/items");
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(list.body()).isEqualTo(SEED);

            HttpResponse<String> added = post(port, "{\"name\":\"Cup\",\"priceCents\":600}");
            assertThat(added.statusCode()).isEqualTo(201);
            assertThat(added.body()).isEqualTo("{\"id\":4,\"name\":\"Cup\",\"priceCents\":600}");

            // Inserted, then refused for its price: the transaction rolls the insert back.
            HttpResponse<String> badPrice = post(port, "{\"name\":\"Saucer\",\"priceCents\":-5}");
            assertThat(badPrice.statusCode()).isEqualTo(400);
            assertThat(badPrice.body())
                    .isEqualTo("{\"status\":400,\"error\":\"priceCents must be 1..1000000, was -5\"}");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM " + ItemService.TABLE + " WHERE name = 'Saucer'",
                    Integer.class)).isZero();

            HttpResponse<String> duplicate = post(port, "{\"name\":\"Mug\",\"priceCents\":5}");
            assertThat(duplicate.statusCode()).isEqualTo(400);
            assertThat(duplicate.body()).contains("an item named 'Mug' exists already");

            HttpResponse<String> noName = post(port, "{\"priceCents\":5}");
            assertThat(noName.statusCode()).isEqualTo(400);
            assertThat(noName.body()).contains("name is missing");

            assertThat(get(port, "/items").body())
                    .isEqualTo(SEED.replace("]", ",{\"id\":4,\"name\":\"Cup\",\"priceCents\":600}]"));

            RemoteServer remote = context.getBean(RemoteServer.class);
            long delivered = remote.stats().delivered();
            HttpResponse<String> price = get(port, "/items/1/price");
            assertThat(price.statusCode()).isEqualTo(200);
            assertThat(price.body()).isEqualTo(
                    "{\"id\":1,\"name\":\"Teapot\",\"netCents\":2495,\"vatCents\":524,\"grossCents\":3019,\"quote\":1}");
            assertThat(remote.stats().delivered()).as("the quote crossed the remote server").isGreaterThan(delivered);

            assertThat(get(port, "/items/4/price").body()).contains("\"grossCents\":726", "\"quote\":2");

            HttpResponse<String> missing = get(port, "/items/99/price");
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("{\"status\":404,\"error\":\"no item 99\"}");
        }
        assertThat(dataSource.isClosed()).as("the pool closes with the context").isTrue();
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(port, path)).timeout(SAFETY).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(int port, String json) throws IOException, InterruptedException {
        return client.send(HttpRequest.newBuilder(uri(port, "/items")).timeout(SAFETY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }
}
