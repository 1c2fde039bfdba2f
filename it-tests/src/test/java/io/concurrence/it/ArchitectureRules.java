package io.concurrence.it;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.lang.ArchRule;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The dependency and waiting rules of ARCHITECTURE.md, as ArchUnit rules parameterized by package so that
 * a test can prove each rule fails on a fixture that breaks it.
 */
final class ArchitectureRules {

    /** The modules whose main code must wait on publishers only through {@code Await}. */
    static final String[] BRIDGE_USERS = {
        "io.concurrence.http..", "io.concurrence.web..", "io.concurrence.db..", "io.concurrence.remote..",
        "io.concurrence.memcache..", "io.concurrence.spring.."
    };

    private ArchitectureRules() {
    }

    /**
     * No class in {@code packages} blocks on a publisher or a future by itself: no {@code Mono.block*},
     * {@code Flux.block*}, {@code toFuture}, {@code Future.get}/{@code CompletableFuture.join},
     * {@code CountDownLatch.await}. They wait through {@code io.concurrence.reactor.Await}, which honours
     * timeouts, kill and the event-loop check.
     */
    static ArchRule waitOnlyThroughAwait(String... packages) {
        return noClasses().that().resideInAnyPackage(packages)
                .should().callMethodWhere(blockingCall())
                .because("modules wait on publishers only through io.concurrence.reactor.Await, which honours the"
                        + " ambient Timeout, cancels on kill and refuses event-loop threads (ARCHITECTURE.md)")
                .allowEmptyShould(true);
    }

    /** {@code concurrence-api} (packages {@code io.concurrence} and {@code io.concurrence.internal}) is JDK-only. */
    static ArchRule apiDependsOnTheJdkOnly(String... apiPackages) {
        return noClasses().that().resideInAnyPackage(apiPackages)
                .should().dependOnClassesThat().resideInAnyPackage("reactor..", "org.reactivestreams..", "io.netty..",
                        "io.rsocket..", "io.r2dbc..", "io.asyncer..", "tools.jackson..", "org.springframework..")
                .because("concurrence-api depends on the JDK alone (plus SLF4J and JSpecify), ARCHITECTURE.md")
                .allowEmptyShould(true);
    }

    /** Classes in {@code from} do not depend on classes in any of {@code others}. */
    static ArchRule independentOf(String module, String[] from, String... others) {
        return noClasses().that().resideInAnyPackage(from)
                .should().dependOnClassesThat().resideInAnyPackage(others)
                .because(module + " must not depend on its sibling modules (http, db, rsocket and memcache are"
                        + " independent; ARCHITECTURE.md)")
                .allowEmptyShould(true);
    }

    private static DescribedPredicate<JavaCall<?>> blockingCall() {
        return describe("a blocking wait on a publisher, future or latch (Mono/Flux.block*, toFuture,"
                + " Future.get, CompletableFuture.join, CountDownLatch.await)", call -> isBlocking(call.getTarget()));
    }

    private static boolean isBlocking(AccessTarget.CodeUnitCallTarget target) {
        String name = target.getName();
        var owner = target.getOwner();
        if (owner.isAssignableTo(Mono.class) || owner.isAssignableTo(Flux.class)) {
            return name.startsWith("block") || name.equals("toFuture") || name.equals("toStream")
                    || name.equals("toIterable");
        }
        if (owner.isAssignableTo(Future.class) && name.equals("get")) {
            return true;
        }
        if (owner.isAssignableTo(CompletableFuture.class) && name.equals("join")) {
            return true;
        }
        return owner.isAssignableTo(CountDownLatch.class) && name.equals("await");
    }
}
