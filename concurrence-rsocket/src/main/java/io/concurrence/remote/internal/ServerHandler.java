package io.concurrence.remote.internal;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import io.concurrence.Message;
import io.concurrence.Tasklet;
import io.concurrence.internal.Mailboxes;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.rsocket.Payload;
import io.rsocket.RSocket;
import io.rsocket.exceptions.ApplicationErrorException;
import io.rsocket.util.DefaultPayload;

/**
 * The server side of one client connection: delivers sends and calls into the registered tasklets' mailboxes as
 * {@link RemoteEnvelope}s, and sends each call's answer back. A message to a registered tasklet that has finished
 * is a dead letter, counted as such (not as delivered); a call is then failed at once. Runs on the connection's
 * event loop and never blocks.
 */
public final class ServerHandler implements RSocket {

    private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);

    private final Function<String, @Nullable Tasklet<?>> names;
    private final MessageCodec codec;
    private final ServerCounters counters;
    private final PeerTypes client;
    /** The metadata of the last payload and what it says; a plain field, as the record is immutable. */
    private @Nullable Route lastRoute;

    /**
     * @param names the tasklet registered under a name, or null (asked at each message); a tasklet it returns may
     *        have finished since (its messages are then dead letters)
     * @param codec the allow-listed codec
     * @param counters counts deliveries, dead letters, and refusals (fire-and-forget has no answer to fail)
     * @param client the client's types, from its setup frame, for the replies and stream elements sent to it
     */
    public ServerHandler(Function<String, @Nullable Tasklet<?>> names, MessageCodec codec, ServerCounters counters,
            PeerTypes client) {
        this.names = names;
        this.codec = codec;
        this.counters = counters;
        this.client = client;
    }

    @Override
    public Mono<Void> fireAndForget(Payload payload) {
        Route route = route(payload);
        try {
            Message message = message(payload);
            Tasklet<?> target = names.apply(route.name());
            if (route.operation() != Wire.SEND || target == null) {
                throw new IllegalArgumentException("no tasklet is registered as '" + route.name() + "'");
            }
            counted(Mailboxes.deliver(target, RemoteEnvelope.send(message)));
        } catch (RuntimeException e) {
            counters.refusedSends.increment();
            LOG.warn("remote send to '{}' refused: {}", Wire.printable(route.name()), Wire.printable(e.getMessage()));
        } finally {
            payload.release();
        }
        return Mono.empty();
    }

    @Override
    public Mono<Payload> requestResponse(Payload payload) {
        Route route = route(payload);
        try {
            String name = route.name();
            Tasklet<?> target = names.apply(name);
            switch (route.operation()) {
                case Wire.CONFIRM -> {
                    return Mono.just(DefaultPayload.create(new byte[0]));
                }
                case Wire.TYPES -> {
                    return Mono.just(DefaultPayload.create(codec.typeTable()));
                }
                case Wire.LOOKUP -> {
                    return target != null ? Mono.just(DefaultPayload.create(new byte[0]))
                            : Mono.error(new ApplicationErrorException("NoSuchElement: no tasklet is registered as '"
                                    + name + "'"));
                }
                case Wire.CALL -> {
                    if (target == null) {
                        return refused(route, "NoSuchElement: no tasklet is registered as '" + name + "'");
                    }
                    Message message = message(payload);
                    Sinks.One<Payload> answer = Sinks.one();
                    counted(Mailboxes.deliver(target, RemoteEnvelope.call(message, replyInto(message, answer))));
                    return answer.asMono();
                }
                default -> {
                    return refused(route, "Refused: unknown operation '" + route.text() + "'");
                }
            }
        } catch (RuntimeException e) {
            return refused(route, "Refused: " + e.getMessage());
        } finally {
            payload.release();
        }
    }

    /**
     * A stream call: the receiver replies with an {@link Iterable} or a {@link java.util.stream.Stream}, whose
     * elements are sent as the requester asks for them (RSocket's request-n).
     */
    @Override
    public Flux<Payload> requestStream(Payload payload) {
        Route route = route(payload);
        try {
            String name = route.name();
            Tasklet<?> target = names.apply(name);
            if (route.operation() != Wire.STREAM || target == null) {
                return refused(route, "NoSuchElement: no tasklet is registered as '" + name + "'").flux();
            }
            Message message = message(payload);
            Sinks.One<Flux<Payload>> answer = Sinks.one();
            boolean delivered = Mailboxes.deliver(target, RemoteEnvelope.call(message, new RemoteEnvelope.Answer() {
                @Override
                public void reply(@Nullable Object result) {
                    Flux<?> elements;
                    if (result instanceof Iterable<?> iterable) {
                        elements = onDemand(iterable);
                    } else if (result instanceof java.util.stream.Stream<?> stream) {
                        elements = onDemand(stream::iterator).doFinally(signal -> stream.close());
                    } else {
                        answer.tryEmitError(new ApplicationErrorException("Refused: a stream call to '" + name
                                + "' must be answered with an Iterable or a Stream, not " + (result == null ? "null"
                                : result.getClass().getName())));
                        return;
                    }
                    answer.tryEmitValue(elements
                            .map(element -> DefaultPayload.create(codec.encodeValue(element, client)))
                            .onErrorMap(e -> new ApplicationErrorException("Refused: an element of the stream"
                                    + " cannot be sent: " + e.getMessage())));
                }

                @Override
                public void fail(Throwable error) {
                    answer.tryEmitError(new ApplicationErrorException("Failed: " + error));
                }
            }));
            counted(delivered);
            return answer.asMono().flatMapMany(elements -> elements);
        } catch (RuntimeException e) {
            return refused(route, "Refused: " + e.getMessage()).flux();
        } finally {
            payload.release();
        }
    }

    /** The answer of a call: its reply, encoded for the client, or its failure, into {@code answer}. */
    private RemoteEnvelope.Answer replyInto(Message message, Sinks.One<Payload> answer) {
        return new RemoteEnvelope.Answer() {
            @Override
            public void reply(@Nullable Object result) {
                byte[] frame;
                try {
                    frame = codec.encodeValue(result, client);
                } catch (RuntimeException e) {
                    answer.tryEmitError(new ApplicationErrorException("Refused: the reply to " + message
                            + " cannot be sent: " + e.getMessage()));
                    return;
                }
                answer.tryEmitValue(DefaultPayload.create(frame));
            }

            @Override
            public void fail(Throwable error) {
                answer.tryEmitError(new ApplicationErrorException("Failed: " + error));
            }
        };
    }

    /**
     * Counts a message handed to {@link Mailboxes#deliver}: delivered, or a dead letter if its target had finished
     * (the core has then counted and logged it, and failed a call, whose caller gets a
     * {@code CallFailedException}).
     */
    private void counted(boolean delivered) {
        (delivered ? counters.delivered : counters.deadLetters).increment();
    }

    /** Counts and logs a call refused before delivery, and answers it with {@code reason}. */
    private Mono<Payload> refused(Route route, String reason) {
        counters.refusedCalls.increment();
        LOG.warn("remote call to '{}' refused: {}", Wire.printable(route.name()), Wire.printable(reason));
        return Mono.error(new ApplicationErrorException(reason));
    }

    /**
     * The elements of {@code iterable} as the requester asks for them, and no more. Not {@code Flux.fromIterable}
     * or {@code fromStream} of the reply as it is: when cancelled, Reactor drains a source it knows to be finite (a
     * collection, a sized stream) into the subscriber's discard hook, which RSocket installs, so a stream call
     * cancelled early would still produce every remaining element, on the connection's event loop.
     */
    private static <T> Flux<T> onDemand(Iterable<T> iterable) {
        Iterable<T> unsized = iterable::iterator; // its spliterator is not SIZED
        return Flux.fromIterable(unsized);
    }

    /**
     * What a payload's metadata says: the operation and the target's name. Consecutive payloads to one target
     * carry the same metadata, decoded once.
     */
    private Route route(Payload payload) {
        ByteBuf metadata = payload.metadata();
        Route last = lastRoute;
        if (last != null && last.matches(metadata)) {
            return last;
        }
        byte[] bytes = ByteBufUtil.getBytes(metadata);
        String text = new String(bytes, StandardCharsets.UTF_8);
        Route route = new Route(bytes, text, Wire.operation(text), Wire.name(text));
        lastRoute = route;
        return route;
    }

    /** A payload's metadata: its bytes and text, and the operation and target name it holds. Immutable. */
    private static final class Route {

        private final byte[] bytes;
        private final String text;
        private final char operation;
        private final String name;

        Route(byte[] bytes, String text, char operation, String name) {
            this.bytes = bytes;
            this.text = text;
            this.operation = operation;
            this.name = name;
        }

        String text() {
            return text;
        }

        char operation() {
            return operation;
        }

        String name() {
            return name;
        }

        boolean matches(ByteBuf metadata) {
            int length = metadata.readableBytes();
            if (length != bytes.length) {
                return false;
            }
            int start = metadata.readerIndex();
            for (int i = 0; i < length; i++) {
                if (metadata.getByte(start + i) != bytes[i]) {
                    return false;
                }
            }
            return true;
        }
    }

    private Message message(Payload payload) {
        Object decoded = codec.decode(Wire.data(payload));
        if (!(decoded instanceof Message message)) {
            throw new IllegalArgumentException("a " + decoded.getClass().getName() + " is not a Message");
        }
        return message;
    }
}
