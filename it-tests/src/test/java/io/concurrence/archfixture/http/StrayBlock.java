package io.concurrence.archfixture.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import reactor.core.publisher.Mono;

import io.concurrence.archfixture.db.FixtureRepository;

/** Breaks every architecture rule on purpose: the rules must report it (see ArchitectureTest). */
public final class StrayBlock {

    private StrayBlock() {
    }

    static String fetch() throws InterruptedException {
        String value = Mono.just("x").block();
        CompletableFuture.completedFuture(1).join();
        new CountDownLatch(0).await();
        return value + FixtureRepository.name();
    }
}
