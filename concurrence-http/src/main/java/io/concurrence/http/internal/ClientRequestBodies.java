package io.concurrence.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.reactivestreams.Publisher;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * Request bodies as publishers of buffers. Each subscription (Reactor Netty subscribes again to follow a
 * redirect, or to retry on a pooled connection the server had closed) gets fresh buffers.
 */
public final class ClientRequestBodies {

    /** Bytes read from a request body stream at a time. */
    private static final int CHUNK = 16 * 1024;

    private ClientRequestBodies() {
    }

    /** The bytes as one buffer; the array is wrapped, not copied. */
    public static Publisher<ByteBuf> of(byte[] bytes) {
        return Mono.fromSupplier(() -> Unpooled.wrappedBuffer(bytes));
    }

    /**
     * The stream's bytes, read on demand (as the connection can take them) on {@code readers}, since reading
     * blocks. The stream is closed once read to its end; it can be replayed only if nothing has been read
     * from it yet.
     *
     * @param what the exchange for messages
     */
    public static Publisher<ByteBuf> of(InputStream stream, Scheduler readers, String what) {
        AtomicBoolean consumed = new AtomicBoolean();
        return Flux.defer(() -> {
            if (consumed.get()) {
                return Flux.error(new IllegalStateException(what + ": a request body from an InputStream can be"
                        + " sent once; it cannot be resent (to follow a redirect, or to retry)"));
            }
            return Flux.<ByteBuf>generate(sink -> {
                byte[] chunk = new byte[CHUNK];
                int n;
                try {
                    consumed.set(true);
                    n = stream.read(chunk, 0, CHUNK);
                    while (n == 0) {
                        n = stream.read(chunk, 0, CHUNK);
                    }
                } catch (IOException e) {
                    sink.error(new ReadFailure(what + ": reading the request body failed: " + e.getMessage(), e));
                    return;
                }
                if (n < 0) {
                    close(stream);
                    sink.complete();
                } else {
                    sink.next(Unpooled.wrappedBuffer(chunk, 0, n));
                }
            }).subscribeOn(readers);
        });
    }

    private static void close(InputStream stream) {
        try {
            stream.close();
        } catch (IOException ignored) {
            // the body was read to its end; a failure to close the source does not change the exchange
        }
    }

    /** The request body stream failed: passed through as it is (its cause is the stream's exception). */
    public static final class ReadFailure extends UncheckedIOException {
        private static final long serialVersionUID = 1L;

        ReadFailure(String message, IOException cause) {
            super(message, cause);
        }
    }
}
