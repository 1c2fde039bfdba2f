package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

import io.concurrence.db.ConcurrenceDataSource;

/**
 * The starter's auto-configuration in an application on Boot's versions: the HTTP server serves a controller
 * bean, which reads through the Concurrence data source with JdbcTemplate and calls a remote endpoint bean through
 * a client bean. The properties are in {@code src/test/resources/application.properties}.
 */
@SpringBootTest
class AutoConfigurationTest {

    @Autowired
    DataSource dataSource;

    @Value("${local.concurrence.http.port}")
    int httpPort;

    @Test
    void theControllerAnswersFromTheDatabaseAndTheRemoteEndpoint() throws Exception {
        assertThat(dataSource).isInstanceOf(ConcurrenceDataSource.class);
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + httpPort + "/greeting")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("hello 42");
    }
}
