package com.example.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

import io.concurrence.Tasklet;
import io.concurrence.http.HttpServer;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;

/**
 * Under Spring Boot's own dependency versions (not the ones Concurrence is built with), the application context
 * starts with the starter, and the modules work: remoting's Jackson codec and RSocket, the HTTP server on Netty.
 */
@SpringBootTest
class BootVersionsTest {

    static final Duration SOON = Duration.ofSeconds(20);

    @Test
    void theVersionsAreBootsOwn() {
        // spring-boot-dependencies 4.0.x manages Jackson 3.1, not the 3.3 Concurrence is built with
        assertThat(tools.jackson.databind.cfg.PackageVersion.VERSION.getMinorVersion()).isLessThan(3);
        System.out.println("Jackson " + tools.jackson.databind.cfg.PackageVersion.VERSION + ", Netty "
                + io.netty.util.Version.identify().get("netty-common").artifactVersion() + ", Reactor Core "
                + reactor.core.publisher.Flux.class.getPackage().getImplementationVersion());
    }

    @Test
    void aRemoteCallRoundTripsUnderBootsJacksonAndReactor() {
        try (RemoteServer server = RemoteServer.builder().host("127.0.0.1").allow(Ping.class).bind()) {
            Tasklet<Void> pong = Tasklet.receiver(envelope -> envelope.reply(((Ping) envelope.message()).n() + 1));
            try {
                server.register("pong", pong);
                try (RemoteClient client = RemoteClient.builder().port(server.port()).allow(Ping.class).connect()) {
                    assertThat(client.lookup("pong").call(new Ping(41), SOON)).isEqualTo(42L);
                }
            } finally {
                pong.kill();
            }
        }
    }

    @Test
    void theHttpServerServesUnderBootsNetty() throws Exception {
        HttpServer server = HttpServer.builder().host("127.0.0.1").port(0)
                .handler((request, response) -> response.send("hello from concurrence")).build().start();
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/")).timeout(SOON).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello from concurrence");
        } finally {
            server.stop(SOON);
        }
    }
}
