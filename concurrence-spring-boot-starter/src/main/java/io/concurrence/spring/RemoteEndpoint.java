package io.concurrence.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Exposes a bean to other processes through the application's {@code RemoteServer}, under {@link #value()}.
 * The bean implements {@code Consumer<Envelope>}; the starter runs it as a {@code Tasklet.receiver}, so its
 * messages are handled one at a time, in order, on the tasklet's virtual thread:
 * <pre>{@code
 * @Component
 * @RemoteEndpoint("counter")
 * class Counter implements Consumer<Envelope> {
 *     private long total;
 *     public void accept(Envelope envelope) {
 *         switch (envelope.message()) {
 *             case Add add -> total += add.n();
 *             case Get get -> envelope.reply(total);
 *             default -> envelope.fail(new IllegalArgumentException("unexpected " + envelope.message()));
 *         }
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface RemoteEndpoint {

    /**
     * The name clients look the endpoint up by.
     *
     * @return the name the endpoint's tasklet is registered under on the server; not empty, and unique among the
     *         application's endpoints (else the application fails to start)
     */
    String value();
}
