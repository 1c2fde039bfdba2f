package io.concurrence.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The architecture rules of ARCHITECTURE.md, checked against the main classes of every library module, and
 * each shown to fail on a fixture that breaks it.
 */
class ArchitectureTest {

    private static final String[] API = {"io.concurrence", "io.concurrence.internal"};
    private static final String[] HTTP = {"io.concurrence.http..", "io.concurrence.web.."};
    private static final String[] DB = {"io.concurrence.db.."};
    private static final String[] RSOCKET = {"io.concurrence.remote.."};
    private static final String[] MEMCACHE = {"io.concurrence.memcache.."};

    private static JavaClasses mainClasses;
    private static JavaClasses fixtures;

    @BeforeAll
    static void importClasses() {
        mainClasses = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.concurrence");
        fixtures = new ClassFileImporter().importPackages("io.concurrence.archfixture");
    }

    @Test
    void theImportSeesTheMainClassesOfTheLibraryModules() {
        assertThat(mainClasses.contain("io.concurrence.Tasklet")).isTrue();
        assertThat(mainClasses.contain("io.concurrence.reactor.Await")).isTrue();
        assertThat(mainClasses.contain("io.concurrence.archfixture.http.StrayBlock"))
                .as("test classes are not main classes").isFalse();
    }

    @Test
    void modulesWaitOnPublishersOnlyThroughAwait() {
        ArchitectureRules.waitOnlyThroughAwait(ArchitectureRules.BRIDGE_USERS).check(mainClasses);
    }

    @Test
    void theWaitingRuleFailsOnAStrayBlockNamingTheClass() {
        assertThatThrownBy(() -> ArchitectureRules.waitOnlyThroughAwait("io.concurrence.archfixture.http..")
                .check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("StrayBlock")
                .hasMessageContaining("Mono.block")
                .hasMessageContaining("CompletableFuture.join")
                .hasMessageContaining("CountDownLatch.await")
                .hasMessageContaining("Await");
    }

    @Test
    void theApiDependsOnNoReactorClass() {
        ArchitectureRules.apiDependsOnTheJdkOnly(API).check(mainClasses);
    }

    @Test
    void theApiRuleFailsOnAReactorDependency() {
        assertThatThrownBy(() -> ArchitectureRules.apiDependsOnTheJdkOnly("io.concurrence.archfixture.http..")
                .check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("StrayBlock")
                .hasMessageContaining("reactor.core.publisher.Mono");
    }

    @Test
    void httpDbRsocketAndMemcacheDoNotDependOnEachOther() {
        ArchitectureRules.independentOf("concurrence-http", HTTP, concat(DB, RSOCKET, MEMCACHE)).check(mainClasses);
        ArchitectureRules.independentOf("concurrence-db", DB, concat(HTTP, RSOCKET, MEMCACHE)).check(mainClasses);
        ArchitectureRules.independentOf("concurrence-rsocket", RSOCKET, concat(HTTP, DB, MEMCACHE)).check(mainClasses);
        ArchitectureRules.independentOf("concurrence-memcache", MEMCACHE, concat(HTTP, DB, RSOCKET)).check(mainClasses);
    }

    @Test
    void theIndependenceRuleFailsOnACrossModuleDependency() {
        assertThatThrownBy(() -> ArchitectureRules.independentOf("concurrence-http",
                new String[] {"io.concurrence.archfixture.http.."}, "io.concurrence.archfixture.db..")
                .check(fixtures))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("StrayBlock")
                .hasMessageContaining("FixtureRepository");
    }

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
