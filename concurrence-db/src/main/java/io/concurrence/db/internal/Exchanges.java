package io.concurrence.db.internal;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTimeoutException;
import java.sql.SQLWarning;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.asyncer.r2dbc.mysql.api.MySqlConnection;
import io.asyncer.r2dbc.mysql.api.MySqlResult;
import io.concurrence.TaskletExit;
import io.concurrence.TimeoutException;
import io.concurrence.reactor.Await;

/**
 * The executions of one borrowed connection, one after another: what starts them, reads their items, and stops
 * them. See {@link JdbcConnection} for the rules (no cancel half-way, {@code KILL QUERY}, waiting for the kill
 * before the next statement).
 */
final class Exchanges {

    private final JdbcConnection owner;
    private final DbPool pool;
    private final MySqlConnection physical;
    private final Physical state;
    private volatile @Nullable RowStream active;
    private volatile @Nullable Mono<Void> activeKill;
    /**
     * Kills sent by {@code Statement.cancel()} (from any thread) that no statement has waited for yet. The owner
     * waits for them before its next statement and before the return to the pool: a kill still on its way to the
     * server would stop that statement instead of the cancelled one.
     */
    private final AtomicReference<@Nullable Mono<Void>> cancels = new AtomicReference<>();
    private volatile @Nullable Duration networkTimeout;

    Exchanges(JdbcConnection owner, DbPool pool, Physical state) {
        this.owner = owner;
        this.pool = pool;
        this.physical = state.connection;
        this.state = state;
    }

    void networkTimeout(@Nullable Duration timeout) {
        this.networkTimeout = timeout;
    }

    @Nullable Duration networkTimeout() {
        return networkTimeout;
    }

    /**
     * What must happen before the connection goes back to the pool: the last execution ended and its kill (if
     * any) taken, the kills of {@code Statement.cancel()} taken; an execution that does not stop within killGrace
     * gets {@code KILL CONNECTION}.
     */
    Mono<Void> beforeRelease() {
        RowStream stream = active;
        Mono<Void> kill = activeKill;
        Mono<Void> before;
        if (kill != null && stream != null) {
            before = Mono.when(stream.settled(), kill).timeout(pool.config().killGrace())
                    .onErrorResume(e -> pool.killConnection(state));
        } else if (stream != null && !stream.isSettled()) {
            stream.abandon();
            before = stream.settled();
        } else {
            before = Mono.empty();
        }
        Mono<Void> cancelled = cancels.getAndSet(null);
        if (cancelled != null) {
            before = Mono.when(before, cancelled.timeout(pool.config().killGrace())
                    .onErrorResume(e -> pool.killConnection(state)));
        }
        return before;
    }

    /** {@code Connection.abort()}: drops the running execution. */
    void abandonActive() {
        RowStream stream = active;
        if (stream != null) {
            stream.abandon();
        }
    }

    /**
     * Starts an execution: waits until the previous one may be followed (see {@link JdbcConnection}), then
     * subscribes to {@code execution}'s items.
     */
    RowStream start(Supplier<Flux<? extends MySqlResult>> execution, boolean query, boolean lastInsertId,
            int prefetch) throws SQLException {
        owner.checkOpen();
        settle();
        Flux<MySqlResult> results = Flux.defer(() -> execution.get().map(MySqlResult.class::cast));
        boolean tinyInt1isBit = pool.config().tinyInt1isBit();
        RowStream stream = RowStream.start(dropped -> {
            Flux<Object> items = Results.items(results, tinyInt1isBit, query, dropped);
            return lastInsertId ? items.concatWith(Results.lastInsertId(physical)) : items;
        }, prefetch);
        active = stream;
        return stream;
    }

    /**
     * The next item of {@code stream}, waiting at most {@code timeout} (null: the network timeout, if set, and
     * the ambient deadline).
     *
     * @throws SQLTimeoutException when the wait times out: the execution is abandoned and killed on the server
     * @throws TaskletExit when the tasklet is killed while waiting: the same
     */
    Object next(RowStream stream, @Nullable Duration timeout, String sql) throws SQLException {
        Duration bound = timeout != null ? timeout : networkTimeout;
        try {
            return stream.take(bound);
        } catch (TimeoutException e) {
            cancel(stream);
            SQLTimeoutException timedOut = new SQLTimeoutException("statement timed out"
                    + (bound != null ? " after " + bound.toMillis() + " ms" : "") + " and was stopped on the"
                    + " server: " + JdbcConnection.abbreviate(sql), SqlErrors.TIMEOUT, e);
            throw timedOut;
        } catch (TaskletExit e) {
            cancel(stream);
            throw e;
        } catch (RuntimeException e) {
            throw SqlErrors.map(e, JdbcConnection.abbreviate(sql));
        }
    }

    /** Reads {@code stream} to its end, returning its last {@link Results.Done}. */
    Results.@Nullable Done drain(RowStream stream, @Nullable Duration timeout, String sql) throws SQLException {
        Results.Done last = null;
        while (true) {
            Object item = next(stream, timeout, sql);
            if (item == RowStream.END) {
                return last;
            }
            if (item instanceof Results.Done done) {
                last = done;
            }
        }
    }

    /** A reader gave up on {@code stream} (its result set was closed early): drop the rest. */
    void abandon(RowStream stream) {
        stream.abandon();
    }

    /** Gives up on {@code stream} and stops its statement on the server. */
    void cancel(RowStream stream) {
        stream.abandon();
        if (!stream.isSettled() && active == stream) {
            Mono<Void> kill = pool.killQuery(state).cache();
            activeKill = kill;
            kill.subscribe();
        }
    }

    /** {@code Statement.cancel()}: stops the running statement on the server; its reader gets an error. */
    void cancelRunning(RowStream stream) {
        if (!stream.isSettled() && active == stream) {
            Mono<Void> kill = pool.killQuery(state).cache();
            cancels.accumulateAndGet(kill, Exchanges::both);
            kill.subscribe();
        }
    }

    private static Mono<Void> both(@Nullable Mono<Void> pending, Mono<Void> next) {
        return pending == null ? next : Mono.when(pending, next).cache();
    }

    private void settle() throws SQLException {
        awaitCancels();
        RowStream previous = active;
        if (previous == null) {
            return;
        }
        if (!previous.abandoned()) {
            if (!previous.isSettled()) {
                previous.readAhead();
            }
            return;
        }
        Mono<Void> kill = activeKill;
        if (kill == null) {
            return;
        }
        try {
            Await.of(Mono.when(previous.settled(), kill), pool.config().killGrace());
        } catch (TimeoutException e) {
            if (ambientExpired()) {
                throw waitingForKill(e);
            }
            pool.killConnection(state).subscribe();
            owner.closeBroken();
            throw new SQLNonTransientConnectionException("connection closed: a cancelled statement did not stop"
                    + " within killGrace (" + pool.config().killGrace().toMillis() + " ms) of its KILL QUERY", "08003",
                    e);
        }
        activeKill = null;
    }

    /** Whether the tasklet's own deadline ({@code Timeout.push}) has passed, rather than killGrace. */
    private static boolean ambientExpired() {
        return io.concurrence.Timeout.remaining().filter(d -> d.isZero() || d.isNegative()).isPresent();
    }

    /** The tasklet's deadline passed while an earlier cancelled statement was still stopping: nothing was run. */
    private static SQLTimeoutException waitingForKill(TimeoutException e) {
        return new SQLTimeoutException("timed out before the connection was free: an earlier cancelled statement"
                + " was still stopping on the server; nothing was run", SqlErrors.TIMEOUT, e);
    }

    /** Waits until every kill sent by {@code Statement.cancel()} has reached the server (see {@link #cancels}). */
    private void awaitCancels() throws SQLException {
        Mono<Void> pending = cancels.get() == null ? null : cancels.getAndSet(null);
        if (pending == null) {
            return;
        }
        try {
            Await.of(pending, pool.config().killGrace());
        } catch (TimeoutException e) {
            if (ambientExpired()) {
                cancels.accumulateAndGet(pending, Exchanges::both);
                throw waitingForKill(e);
            }
            pool.killConnection(state).subscribe();
            owner.closeBroken();
            throw new SQLNonTransientConnectionException("connection closed: the KILL QUERY of a Statement.cancel()"
                    + " did not reach the server within killGrace (" + pool.config().killGrace().toMillis() + " ms)",
                    "08003", e);
        } catch (TaskletExit e) {
            cancels.accumulateAndGet(pending, Exchanges::both);
            throw e;
        }
    }

    /** Runs {@code sql} (no result wanted) on this connection. */
    void command(String sql) throws SQLException {
        drain(startText(sql), null, sql);
    }

    RowStream startText(String sql) throws SQLException {
        return start(() -> physical.createStatement(sql).execute(), Results.isQuery(Sql.firstKeyword(sql)), false, 16);
    }

    /** Whether {@code stream} is the last execution started on this connection. */
    boolean isLast(RowStream stream) {
        return active == stream;
    }

    /**
     * The warnings of the last statement, from {@code SHOW WARNINGS} (R2DBC MySQL does not pass the warning count
     * on, so they are fetched when asked for), or null if it had none.
     */
    @Nullable SQLWarning showWarnings() throws SQLException {
        RowStream stream = startText("SHOW WARNINGS");
        SQLWarning first = null;
        while (true) {
            Object item = next(stream, null, "SHOW WARNINGS");
            Object[] row = item instanceof Results.FirstRow f ? f.values() : item instanceof Object[] r ? r : null;
            if (item == RowStream.END) {
                return first;
            }
            if (row != null && row.length >= 3) {
                String level = String.valueOf(row[0]);
                int code = row[1] instanceof Number n ? n.intValue() : 0;
                SQLWarning warning = new SQLWarning(level + ": " + row[2], "Error".equalsIgnoreCase(level)
                        ? "HY000" : "01000", code);
                if (first == null) {
                    first = warning;
                } else {
                    first.setNextWarning(warning);
                }
            }
        }
    }

    @Nullable Object queryValue(String sql) throws SQLException {
        RowStream stream = startText(sql);
        Object value = null;
        while (true) {
            Object item = next(stream, null, sql);
            if (item == RowStream.END) {
                return value;
            }
            if (item instanceof Results.FirstRow first && first.values().length > 0) {
                value = first.values()[0];
            }
        }
    }
}
