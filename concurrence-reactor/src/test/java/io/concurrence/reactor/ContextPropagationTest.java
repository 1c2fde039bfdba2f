package io.concurrence.reactor;

import static io.concurrence.reactor.BridgeTestSupport.SAFETY;
import static io.concurrence.reactor.BridgeTestSupport.inTasklet;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;
import reactor.util.context.Context;

import io.concurrence.TaskLocal;
import io.concurrence.Tasklet;

/**
 * Propagated task-locals ({@link TaskLocal#propagated(String)}): into the Reactor {@code Context} of what a
 * tasklet awaits, and back into tasklets that {@link Reactive} starts. The registry of propagated keys is
 * global and never shrinks, so every test uses its own key.
 */
@org.junit.jupiter.api.Timeout(60)
class ContextPropagationTest {

    @Test
    void ofPutsThePropagatedValueIntoTheContextOfTheAwaitedMono() {
        String key = "context-test.await-of";
        TaskLocal<String> trace = TaskLocal.propagated(key);

        String seen = inTasklet(() -> {
            trace.set("trace-1");
            return Await.of(Mono.deferContextual(ctx -> Mono.just(ctx.<String>get(key))));
        });

        assertThat(seen).isEqualTo("trace-1");
    }

    @Test
    void listAndStreamPutThePropagatedValueIntoTheContextOfTheAwaitedFlux() {
        String key = "context-test.await-flux";
        TaskLocal<String> trace = TaskLocal.propagated(key);
        Flux<String> echo = Flux.deferContextual(ctx -> Flux.just(ctx.<String>get(key), "end"));

        List<List<String>> seen = inTasklet(() -> {
            trace.set("trace-2");
            try (Stream<String> elements = Await.stream(echo)) {
                return List.of(Await.list(echo), elements.toList());
            }
        });

        assertThat(seen).containsExactly(List.of("trace-2", "end"), List.of("trace-2", "end"));
    }

    @Test
    void awaitPropagatesAValueSetInAnAncestorTasklet() {
        String key = "context-test.ancestor";
        TaskLocal<String> trace = TaskLocal.propagated(key);

        String seen = inTasklet(() -> {
            trace.set("from-parent");
            return Tasklet.spawn(() -> Await.of(Mono.deferContextual(ctx -> Mono.just(ctx.<String>get(key)))))
                    .join(SAFETY);
        });

        assertThat(seen).isEqualTo("from-parent");
    }

    @Test
    void awaitAddsNothingToTheContextWhenNoPropagatedValueIsSet() {
        String key = "context-test.unset";
        TaskLocal<String> trace = TaskLocal.propagated(key);

        List<Boolean> hasKeyAndIsEmpty = inTasklet(() -> {
            assertThat(trace.find()).isEmpty();
            return Await.of(Mono.deferContextual(ctx -> Mono.just(List.of(ctx.hasKey(key), ctx.isEmpty()))));
        });

        assertThat(hasKeyAndIsEmpty).containsExactly(false, true);
    }

    @Test
    void monoRestoresThePropagatedValueFromTheSubscriberContextIntoItsTasklet() {
        String key = "context-test.mono";
        TaskLocal<String> trace = TaskLocal.propagated(key);

        StepVerifier.create(Reactive.mono(trace::get).contextWrite(Context.of(key, "abc")))
                .expectNext("abc")
                .expectComplete()
                .verify(SAFETY);
    }

    @Test
    void monoLeavesThePropagatedValueUnsetWhenTheContextLacksItsKey() {
        String key = "context-test.mono-unset";
        TaskLocal<String> trace = TaskLocal.propagated(key);

        StepVerifier.create(Reactive.mono(trace::find).contextWrite(Context.of("some-other-key", "x")))
                .expectNext(Optional.empty())
                .expectComplete()
                .verify(SAFETY);
    }

    @Test
    void aPropagatedValueMakesTheRoundTripFromATaskletThroughReactorIntoAnotherTasklet() {
        String key = "context-test.round-trip";
        TaskLocal<String> trace = TaskLocal.propagated(key);
        // subscribeOn: the Reactive.mono tasklet is spawned from a Reactor thread, so it is no descendant of
        // the awaiting tasklet and can only get the value through the Context.
        Mono<String> viaReactor = Reactive.mono(trace::get).subscribeOn(Schedulers.boundedElastic());

        String seen = inTasklet(() -> {
            trace.set("round-trip");
            return Await.of(viaReactor);
        });

        assertThat(seen).isEqualTo("round-trip");
    }
}
