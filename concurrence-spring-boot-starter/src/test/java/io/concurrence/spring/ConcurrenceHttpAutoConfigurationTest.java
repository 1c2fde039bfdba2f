package io.concurrence.spring;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpServer;
import io.concurrence.web.Filter;
import io.concurrence.web.Get;
import io.concurrence.web.PathParam;
import io.concurrence.web.Router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrenceHttpAutoConfigurationTest {

    private static final Duration SAFETY = Duration.ofSeconds(20);
    /** Filters run on the request's tasklet, one inside the other: the outer one leaves its mark here. */
    private static final ThreadLocal<String> SEEN = ThreadLocal.withInitial(() -> "none");

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(SAFETY).build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConcurrenceHttpAutoConfiguration.class))
            .withPropertyValues("concurrence.http.port=0", "concurrence.http.host=127.0.0.1");

    @Test
    void serverServesControllersHandlersAndRouterBeansThroughFilterBeansOnThePublishedPort() {
        runner.withUserConfiguration(WebBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            int port = context.getEnvironment().getRequiredProperty("local.concurrence.http.port", Integer.class);
            assertThat(port).isPositive().isEqualTo(context.getBean(HttpServer.class).port());

            HttpResponse<String> controller = get(port, "/hello/ada");
            assertThat(controller.statusCode()).isEqualTo(200);
            assertThat(controller.body()).isEqualTo("Hello, ada");
            assertThat(controller.headers().firstValue("X-Filters")).contains("outer,inner");

            HttpResponse<String> handler = get(port, "/handler");
            assertThat(handler.statusCode()).isEqualTo(200);
            assertThat(handler.body()).isEqualTo("from a handler bean");

            assertThat(get(port, "/first").body()).isEqualTo("first router");
            HttpResponse<String> second = get(port, "/second");
            assertThat(second.body()).isEqualTo("second router");
            assertThat(second.headers().firstValue("X-Filters")).contains("outer,inner");

            assertThat(get(port, "/unrouted").statusCode()).isEqualTo(404);
            assertThat(get(port, "/nowhere").statusCode()).isEqualTo(404);
        });
    }

    @Test
    void badPropertyValueFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.http.port=-1").run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("concurrence.http.port: -1 is out of range 0..65535");
            assertThat(failure).hasMessageContaining("Could not bind properties to 'ConcurrenceHttpProperties'");
            assertThat(causes(failure)).anyMatch(BindException.class::isInstance);
        });
    }

    @Test
    void badDurationFailsStartupNamingTheProperty() {
        runner.withPropertyValues("concurrence.http.idle-timeout=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessage("concurrence.http.idle-timeout: PT0S must be positive");
        });
    }

    @Test
    void userHttpServerBeanSwitchesTheAutoConfigurationOff() {
        runner.withUserConfiguration(UserServer.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).getBean(HttpServer.class).isSameAs(context.getBean(UserServer.class).server);
            assertThat(context).doesNotHaveBean(HttpServerLifecycle.class);
            assertThat(context.getEnvironment().getProperty("local.concurrence.http.port")).isNull();
        });
    }

    @Test
    void disabledPropertySwitchesTheAutoConfigurationOff() {
        runner.withPropertyValues("concurrence.http.enabled=false").run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(HttpServer.class);
        });
    }

    @Test
    void gracefulShutdownLetsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        SlowHandler slow = new SlowHandler();
        ConfigurableApplicationContext[] holder = new ConfigurableApplicationContext[1];
        runner.withBean("slow", SlowHandler.class, () -> slow).run(context -> {
            holder[0] = context;
            int port = context.getEnvironment().getRequiredProperty("local.concurrence.http.port", Integer.class);
            CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(request(port, "/slow"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(slow.entered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

            Thread closer = Thread.ofPlatform().name("closer").start(context::close);
            awaitConnectionsRefused(port);
            assertThat(inFlight).isNotDone();
            slow.release.countDown();

            HttpResponse<String> response = inFlight.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("finished");
            assertThat(closer.join(SAFETY)).isTrue();
            assertThat(context.isActive()).isFalse();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        });
        assertThat(holder[0].isActive()).isFalse();
    }

    @Test
    void immediateShutdownFromServerShutdownCutsTheRequestInFlight() throws Exception {
        SlowHandler slow = new SlowHandler();
        runner.withBean("slow", SlowHandler.class, () -> slow).withPropertyValues("server.shutdown=immediate")
                .run(context -> {
                    int port = context.getEnvironment()
                            .getRequiredProperty("local.concurrence.http.port", Integer.class);
                    CompletableFuture<HttpResponse<String>> inFlight = client.sendAsync(request(port, "/slow"),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(slow.entered.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
                    context.close();
                    assertThatThrownBy(() -> inFlight.get(SAFETY.toMillis(), TimeUnit.MILLISECONDS))
                            .hasCauseInstanceOf(IOException.class);
                    slow.release.countDown();
                });
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }

    private static void awaitConnectionsRefused(int port) throws IOException {
        long deadline = System.nanoTime() + SAFETY.toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), (int) SAFETY.toMillis());
            } catch (ConnectException refused) {
                return;
            } catch (SocketException reset) {
                // accepted just before the listener closed, then closed as idle by the stopping server: try again
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the server still accepted connections after " + SAFETY);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return client.send(request(port, path), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(SAFETY).build();
    }

    /** A controller bean: routed by its annotated methods. */
    public static class Greeter {
        @Get("/hello/{name}")
        public String hello(@PathParam("name") String name) {
            return "Hello, " + name;
        }
    }

    @HttpRoute("/slow")
    static class SlowHandler implements HttpHandler {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void handle(io.concurrence.http.HttpRequest request, io.concurrence.http.HttpResponse response)
                throws Exception {
            entered.countDown();
            if (!release.await(SAFETY.toMillis(), TimeUnit.MILLISECONDS)) {
                response.status(500).send("never released");
                return;
            }
            response.send("finished");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class WebBeans {

        @Bean
        Greeter greeter() {
            return new Greeter();
        }

        @Bean
        @HttpRoute(value = "/handler", method = {"GET", "POST"})
        HttpHandler routedHandler() {
            return (request, response) -> response.send("from a handler bean");
        }

        @Bean
        HttpHandler unroutedHandler() {
            return (request, response) -> response.send("should not be served");
        }

        @Bean
        @Order(1)
        Router firstRouter() {
            return Router.create().get("/first", (request, response) -> response.send("first router"));
        }

        @Bean
        @Order(2)
        Router secondRouter() {
            return Router.create().get("/second", (request, response) -> response.send("second router"));
        }

        @Bean
        @Order(2)
        Filter innerFilter() {
            return (request, response, next) -> {
                response.setHeader("X-Filters", SEEN.get() + ",inner");
                next.handle(request, response);
            };
        }

        @Bean
        @Order(1)
        Filter outerFilter() {
            return (request, response, next) -> {
                SEEN.set("outer");
                try {
                    next.handle(request, response);
                } finally {
                    SEEN.remove();
                }
            };
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class UserServer {
        final HttpServer server = HttpServer.builder().port(0).handler((request, response) -> response.send("mine"))
                .build();

        @Bean
        HttpServer userHttpServer() {
            return server;
        }
    }
}
