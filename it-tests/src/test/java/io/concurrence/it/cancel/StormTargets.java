package io.concurrence.it.cancel;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

import io.concurrence.Envelope;
import io.concurrence.Tasklet;
import io.concurrence.Timeout;
import io.concurrence.db.ConcurrenceDataSource;
import io.concurrence.http.HttpClient;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpServer;
import io.concurrence.it.support.Services;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteServer;
import io.concurrence.remote.RemoteTasklet;

/**
 * What the victims of {@link CancellationStormTest} block in: our {@link HttpServer} (answering after a delay, or
 * streaming its body slowly) and our {@link HttpClient}; two pools of our JDBC driver on MariaDB (one with a
 * query timeout for the victims that time out on their statement); a {@link RemoteServer} in this process whose
 * receiver answers after a delay or never, and a {@link RemoteClient}. {@link #run(Plan)} is one victim's body.
 */
final class StormTargets implements AutoCloseable {

    /** The prefix of every tasklet the storm starts; none may be left once it is over. */
    static final String PREFIX = "storm-";
    static final int HTTP_POOL = 8;
    static final int DB_POOL = 8;
    /** How long a victim's call waits when only a kill is to end it: never reached unless something hangs. */
    static final Duration SAFETY = Duration.ofSeconds(30);

    private static final byte[] CHUNK = "0123456789abcdef".repeat(4).getBytes(StandardCharsets.US_ASCII);
    private static final String RECEIVER = "storm";

    final HttpServer httpServer;
    final HttpClient http;
    final ConcurrenceDataSource db;
    final ConcurrenceDataSource dbTimed;
    final Tasklet<Void> receiver;
    final RemoteServer remoteServer;
    final RemoteClient remote;
    private final RemoteTasklet target;
    /** Remote calls begun by victims and checks (the client counts those that ended). */
    final AtomicInteger remoteCalls = new AtomicInteger();

    StormTargets() throws SQLException {
        httpServer = HttpServer.builder().host("127.0.0.1").port(0).handler(StormTargets::handle).build().start();
        http = HttpClient.builder().baseUrl("http://127.0.0.1:" + httpServer.port()).maxConnections(HTTP_POOL)
                .pendingAcquireTimeout(SAFETY).build();
        db = ConcurrenceDataSource.fromUrl(Services.mysqlUrl("poolSize=" + DB_POOL + "&poolName=storm"));
        dbTimed = ConcurrenceDataSource.fromUrl(Services.mysqlUrl("poolSize=" + DB_POOL
                + "&poolName=storm-timed&queryTimeout=" + Plan.DB_QUERY_TIMEOUT.toMillis() + "ms"));
        receiver = Tasklet.named(PREFIX + "remote-receiver").receiver(StormTargets::answer);
        remoteServer = RemoteServer.builder().host("127.0.0.1").port(0).allow(StormMsg.class).bind();
        remoteServer.register(RECEIVER, receiver);
        remote = RemoteClient.builder().host("127.0.0.1").port(remoteServer.port()).allow(StormMsg.class).connect();
        target = remote.lookup(RECEIVER);
    }

    /**
     * One victim: an exchange as its plan says, under the ambient timeout if it says so.
     *
     * @return "ok", or what was wrong with an answer that did arrive
     */
    String run(Plan plan) throws Exception {
        if (plan.ending() == Plan.Ending.AMBIENT_TIMEOUT) {
            try (Timeout ignored = Timeout.push(plan.timeout())) {
                return exchange(plan);
            }
        }
        return exchange(plan);
    }

    private String exchange(Plan plan) throws Exception {
        return switch (plan.kind()) {
            case HTTP -> http(plan);
            case DB -> db(plan);
            case REMOTE -> remote(plan);
        };
    }

    /** One call that must succeed, for the check that every connection is usable afterwards. */
    String run(Plan.Kind kind, int tag, long serverMillis) throws Exception {
        return exchange(new Plan(tag, kind, Plan.Ending.KILL, serverMillis, 0, SAFETY, SAFETY));
    }

    /** One query that must succeed on the pool with the query timeout, given a generous one of its own. */
    String runTimedDb(int tag) throws SQLException {
        try (Connection connection = dbTimed.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT ?")) {
            statement.setQueryTimeout((int) SAFETY.toSeconds());
            statement.setInt(1, tag);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() && rows.getInt(1) == tag ? "ok" : "DB check row wrong";
            }
        }
    }

    private String http(Plan plan) {
        String path = "/storm?ms=" + plan.serverMillis() + "&chunks=" + plan.chunks();
        boolean timed = plan.ending() == Plan.Ending.CALL_TIMEOUT;
        String body;
        try (HttpClient.Response response = timed ? http.send(HttpClient.Request.get(path), plan.timeout())
                : http.get(path)) {
            if (response.status() != 200) {
                return "HTTP status " + response.status();
            }
            body = timed ? response.bodyText(plan.timeout()) : response.bodyText();
        }
        String expected = plan.chunks() == 0 ? "done"
                : new String(CHUNK, StandardCharsets.US_ASCII).repeat(plan.chunks());
        return body.equals(expected) ? "ok" : "HTTP body of " + body.length() + " chars, expected " + expected.length();
    }

    private String db(Plan plan) throws SQLException {
        ConcurrenceDataSource pool = plan.ending() == Plan.Ending.CALL_TIMEOUT ? dbTimed : db;
        try (Connection connection = pool.getConnection();
             PreparedStatement statement = connection.prepareStatement("SELECT SLEEP(?), ?")) {
            statement.setDouble(1, plan.serverMillis() / 1000.0);
            statement.setInt(2, plan.index());
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return "no row";
                }
                int slept = rows.getInt(1);
                int tag = rows.getInt(2);
                // SLEEP answers 1 when interrupted: a KILL QUERY meant for an earlier statement hit this one
                return slept == 0 && tag == plan.index() ? "ok" : "DB row (" + slept + ", " + tag + ")";
            }
        }
    }

    private String remote(Plan plan) {
        Duration timeout = plan.ending() == Plan.Ending.CALL_TIMEOUT ? plan.timeout() : SAFETY;
        remoteCalls.incrementAndGet();
        Integer answer = target.call(new StormMsg.Wait(plan.index(), plan.serverMillis()), timeout);
        return answer != null && answer == plan.index() ? "ok" : "remote answer " + answer;
    }

    /** {@code /storm?ms=M&chunks=C}: "done" after M ms, or C chunks spread over M ms. */
    private static void handle(HttpRequest request, HttpResponse response) throws Exception {
        long millis = Long.parseLong(request.query("ms").orElse("0"));
        int chunks = Integer.parseInt(request.query("chunks").orElse("0"));
        if (chunks == 0) {
            Tasklet.sleep(Duration.ofMillis(millis));
            response.send("done");
            return;
        }
        try (OutputStream out = response.outputStream()) {
            for (int i = 0; i < chunks; i++) {
                Tasklet.sleep(Duration.ofMillis(millis / chunks));
                out.write(CHUNK);
                out.flush();
            }
        }
    }

    /** The remote receiver: answers each {@link StormMsg.Wait} from a tasklet of its own, or never. */
    private static void answer(Envelope envelope) {
        if (envelope.message() instanceof StormMsg message) {
            switch (message) {
                case StormMsg.Wait wait -> {
                    if (wait.millis() >= 0) {
                        Tasklet.named(PREFIX + "remote-reply").spawn(() -> {
                            Tasklet.sleep(Duration.ofMillis(wait.millis()));
                            envelope.reply(wait.tag());
                        });
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closeAll(remote::close, remoteServer::close, receiver::kill, http::close, httpServer::close, db::close,
                dbTimed::close);
    }

    private static void closeAll(Runnable... steps) {
        RuntimeException failure = null;
        for (Runnable step : Arrays.asList(steps)) {
            try {
                step.run();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
