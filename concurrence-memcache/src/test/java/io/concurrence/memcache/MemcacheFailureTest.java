package io.concurrence.memcache;

import static io.concurrence.memcache.MemcacheTestSupport.SERVER_A;
import static io.concurrence.memcache.MemcacheTestSupport.SOON;
import static io.concurrence.memcache.MemcacheTestSupport.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.concurrence.Tasklet;
import io.concurrence.TaskletExit;
import io.concurrence.Timeout;
import io.concurrence.TimeoutException;

/** A server stopped mid-run, a server that does not answer, timeouts and kill. */
class MemcacheFailureTest {

    @BeforeEach
    void servers() {
        MemcacheTestSupport.requireServers();
    }

    @Test
    void stoppedServersKeysFailNamingItWhileTheOtherKeepsServing() throws Exception {
        int port = freePort();
        Process third = new ProcessBuilder("/usr/bin/memcached", "-u", "nobody", "-l", "127.0.0.1", "-p",
                String.valueOf(port), "-m", "16").redirectErrorStream(true).start();
        String thirdName = "127.0.0.1:" + port;
        try (MemcacheClient<String> cache = MemcacheClient.builder().server(SERVER_A).server(thirdName)
                .codec(MemcacheCodec.utf8()).retryInterval(Duration.ofSeconds(30)).build()) {
            awaitUp(port);
            List<String> onA = new ArrayList<>();
            List<String> onThird = new ArrayList<>();
            for (int i = 0; onA.size() < 5 || onThird.size() < 5; i++) {
                String k = key("stop" + i);
                (cache.serverFor(k).equals(SERVER_A) ? onA : onThird).add(k);
                assertThat(cache.set(k, "v" + i)).isTrue();
            }

            third.destroy();
            assertThat(third.waitFor(SOON.toSeconds(), TimeUnit.SECONDS)).isTrue();

            // the first request after the kill sees the broken connection; from then on the server is dead
            long deadline = System.nanoTime() + SOON.toNanos();
            while (true) {
                try {
                    cache.get(onThird.get(0));
                } catch (MemcacheException e) {
                    if (e.getMessage().contains("marked dead")) {
                        break;
                    }
                }
                assertThat(System.nanoTime()).as("server marked dead within " + SOON).isLessThan(deadline);
            }
            assertThatThrownBy(() -> cache.get(onThird.get(1)))
                    .isInstanceOf(MemcacheException.class)
                    .hasMessageContaining("memcache server " + thirdName + " is marked dead")
                    .hasMessageContaining("next retry in");
            assertThatThrownBy(() -> cache.getMulti(onThird))
                    .isInstanceOf(MemcacheException.class).hasMessageContaining(thirdName);
            for (String k : onA) {
                assertThat(cache.get(k)).isPresent();
            }
            assertThat(cache.getMulti(onA)).hasSize(onA.size());
        } finally {
            third.destroyForcibly();
        }
    }

    @Test
    void withFailoverDeadServersKeysGoToTheNextLiveServer() throws Exception {
        int dead = freePort(); // nothing listens there
        try (MemcacheClient<String> cache = MemcacheClient.builder().server(SERVER_A)
                .server("127.0.0.1:" + dead).codec(MemcacheCodec.utf8()).failover(true)
                .retryInterval(Duration.ofSeconds(30)).build()) {
            String k = null;
            for (int i = 0; k == null; i++) {
                String candidate = key("fo" + i);
                if (cache.serverFor(candidate).endsWith(":" + dead)) {
                    k = candidate;
                }
            }
            String onDead = k;
            assertThatThrownBy(() -> cache.set(onDead, "v"))
                    .isInstanceOf(MemcacheException.class)
                    .hasMessageContaining("could not connect to memcache server 127.0.0.1:" + dead);
            assertThat(cache.serverFor(onDead)).isEqualTo(SERVER_A);
            assertThat(cache.set(onDead, "v")).isTrue();
            assertThat(cache.get(onDead)).contains("v");
        }
    }

    @Test
    void silentServerTimesOutThenTheConnectionIsClosedAndTheServerMarkedDead() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            CountDownLatch accepted = new CountDownLatch(1);
            Thread acceptor = Thread.ofVirtual().start(() -> swallow(silent, accepted));
            try (MemcacheClient<String> cache = MemcacheClient.builder()
                    .server("127.0.0.1:" + silent.getLocalPort()).codec(MemcacheCodec.utf8())
                    .operationTimeout(Duration.ofMillis(300)).retryInterval(Duration.ofSeconds(30)).build()) {
                assertThatThrownBy(() -> cache.get("k"))
                        .isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("memcache get k on 127.0.0.1:" + silent.getLocalPort())
                        .hasMessageContaining("timed out");
                assertThat(accepted.await(SOON.toSeconds(), TimeUnit.SECONDS)).isTrue();
                long deadline = System.nanoTime() + SOON.toNanos();
                while (true) {
                    try {
                        cache.get("k");
                    } catch (MemcacheException e) {
                        if (!e.getMessage().contains("marked dead")) {
                            // a get pending when the connection was closed fails with the reason itself
                            assertThat(e).hasMessageContaining("did not answer get k");
                            continue;
                        }
                        assertThat(e.getCause()).hasMessageContaining("did not answer get k");
                        break;
                    } catch (TimeoutException e) {
                        assertThat(System.nanoTime()).as("server marked dead within " + SOON).isLessThan(deadline);
                    }
                }
            } finally {
                acceptor.interrupt();
            }
        }
    }

    @Test
    void ambientTimeoutGovernsWhenTighterAndIsNamed() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = Thread.ofVirtual().start(() -> swallow(silent, new CountDownLatch(1)));
            try (MemcacheClient<String> cache = MemcacheClient.builder()
                    .server("127.0.0.1:" + silent.getLocalPort()).codec(MemcacheCodec.utf8()).build();
                 Timeout t = Timeout.push(Duration.ofMillis(200))) {
                long start = System.nanoTime();
                assertThatThrownBy(() -> cache.get("k"))
                        .isInstanceOf(TimeoutException.class)
                        .hasMessageContaining("ambient Timeout");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2400));
            } finally {
                acceptor.interrupt();
            }
        }
    }

    @Test
    void killedTaskletsCallThrowsTaskletExitAndTheConnectionStaysInStep() throws Exception {
        try (MemcacheClient<String> cache = MemcacheClient.builder().server(SERVER_A).codec(MemcacheCodec.utf8())
                .operationTimeout(SOON).build()) {
            String k = key("kill");
            cache.set(k, "before");
            CountDownLatch started = new CountDownLatch(1);
            // a get on a never-answering pipeline is hard to arrange on a real server; kill while looping
            Tasklet<Object> looper = Tasklet.spawn(() -> {
                started.countDown();
                while (true) {
                    cache.get(k);
                }
            });
            assertThat(started.await(SOON.toSeconds(), TimeUnit.SECONDS)).isTrue();
            looper.kill();
            assertThatThrownBy(() -> looper.join(SOON)).hasCauseInstanceOf(TaskletExit.class);
            for (int i = 0; i < 50; i++) {
                String v = "after" + i;
                cache.set(k, v);
                assertThat(cache.get(k)).contains(v);
            }
        }
    }

    @Test
    void thousandTaskletsHammeringConcurrentlyEachSeeTheirOwnResults() throws Exception {
        try (MemcacheClient<String> cache = MemcacheClient.builder().server(SERVER_A)
                .server(MemcacheTestSupport.SERVER_B).codec(MemcacheCodec.utf8()).operationTimeout(SOON).build()) {
            String prefix = key("hammer");
            List<Tasklet<Integer>> tasklets = new ArrayList<>();
            for (int t = 0; t < 1000; t++) {
                int id = t;
                tasklets.add(Tasklet.spawn(() -> {
                    int checked = 0;
                    String k = prefix + ":" + id;
                    for (int i = 0; i < 10; i++) {
                        String v = id + "/" + i;
                        if (!cache.set(k, v)) {
                            throw new AssertionError("not stored: " + k);
                        }
                        if (!cache.get(k).orElseThrow().equals(v)) {
                            throw new AssertionError("wrong value for " + k);
                        }
                        checked++;
                    }
                    if (cache.incr(k + ":n", 1).isPresent() || !cache.add(k + ":n", "5", Duration.ZERO)
                            || cache.incr(k + ":n", 2).orElseThrow() != 7) {
                        throw new AssertionError("incr sequence broken for " + k);
                    }
                    return checked + 1;
                }));
            }
            int total = 0;
            for (Tasklet<Integer> t : tasklets) {
                total += t.join(Duration.ofSeconds(120));
            }
            assertThat(total).isEqualTo(1000 * 11);
            List<String> keys = new ArrayList<>();
            for (int t = 0; t < 1000; t++) {
                keys.add(prefix + ":" + t);
            }
            assertThat(cache.getMulti(keys)).hasSize(1000).containsEntry(prefix + ":42", "42/9");
        }
    }

    private static void swallow(ServerSocket server, CountDownLatch accepted) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            accepted.countDown();
            in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            // closed by the test
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitUp(int port) throws InterruptedException {
        long deadline = System.nanoTime() + SOON.toNanos();
        while (!MemcacheTestSupport.isUp("127.0.0.1", port)) {
            assertThat(System.nanoTime()).as("memcached up on " + port + " within " + SOON).isLessThan(deadline);
            Thread.sleep(50); // waiting for another process to bind; nothing to wait on
        }
    }
}
