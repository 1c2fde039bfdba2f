package io.concurrence.docs.spring;

import java.util.function.Consumer;

import org.springframework.context.annotation.Bean;
import org.springframework.stereotype.Component;

import io.concurrence.Call;
import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.spring.RemoteEndpoint;
import io.concurrence.spring.RemoteMessageTypes;

// The remoting beans of docs/spring-boot.md.
// tag::endpoint[]
@Component
@RemoteEndpoint("counter")
class Counter implements Consumer<Envelope> {
    private long total;                        // touched by the endpoint's tasklet only
    public void accept(Envelope envelope) {
        if (envelope.message() instanceof CounterMsg m) {
            switch (m) {
                case Add add -> total += add.n();
                case Get get -> envelope.reply(total);
            }
        }
    }
}
// end::endpoint[]

sealed interface CounterMsg extends Message permits Add, Get {
}

record Add(int n) implements CounterMsg {
}

record Get() implements CounterMsg, Call<Long> {
}

sealed interface OrderMsg extends Message permits PlaceOrder {
}

record PlaceOrder(String item) implements OrderMsg {
}

final class Protocols {
    // tag::types[]
    @Bean
    RemoteMessageTypes protocols() {
        return RemoteMessageTypes.of(CounterMsg.class, OrderMsg.class);
    }
    // end::types[]
}
