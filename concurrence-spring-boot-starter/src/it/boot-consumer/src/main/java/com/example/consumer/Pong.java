package com.example.consumer;

import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import io.concurrence.Envelope;
import io.concurrence.spring.RemoteEndpoint;

/** A remote endpoint bean: answers a {@link Ping} with its number plus one. */
@Component
@RemoteEndpoint("pong")
public class Pong implements Consumer<Envelope> {

    @Override
    public void accept(Envelope envelope) {
        envelope.reply(((Ping) envelope.message()).n() + 1);
    }
}
