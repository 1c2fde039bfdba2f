package io.concurrence.examples;

import static io.concurrence.examples.ExampleRun.capture;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.concurrence.Concurrence;

/** Runs each example as its command does (under dispatch) and checks what it prints. */
@org.junit.jupiter.api.Timeout(60)
class ExamplesTest {

    @Test
    void helloPrintsHelloWorldOnceAndQuitsWithExitCodeZero() {
        ExampleRun run = capture(() -> Examples.run("hello"));

        assertThat(run.exitCode()).isEqualTo(Concurrence.EXIT_OK);
        assertThat(run.out()).isEqualTo("Hello World!" + System.lineSeparator());
    }

    @Test
    void httpClientPrintsTheResponseThenTwoConcurrentOnesInOrder() {
        ExampleRun run = capture(() -> Examples.run("http_client"));

        assertThat(run.exitCode()).isEqualTo(Concurrence.EXIT_OK);
        String page = "<html>Hello, world!</html>";
        assertThat(run.out())
                .startsWith("-- GET /" + System.lineSeparator() + "GET / -> 200\n")
                .containsPattern("(?mi)^date: .+$")
                .containsPattern("(?mi)^transfer-encoding: chunked$")
                .contains("\n\n" + page + "\n" + "-- two requests in flight at once");
        String concurrent = run.out().substring(run.out().indexOf("-- two requests"));
        assertThat(concurrent.indexOf("GET /first -> 200")).isPositive()
                .isLessThan(concurrent.indexOf("GET /second -> 200"));
        assertThat(concurrent.split(page, -1)).hasSize(3);
    }

    @Test
    void messagePrintsTheGreetingThenTheFarewell() {
        ExampleRun run = capture(() -> Examples.run("message"));

        assertThat(run.exitCode()).isEqualTo(Concurrence.EXIT_OK);
        assertThat(run.out().lines()).containsExactly("Hello World", "Goodbye World");
    }

    @Test
    void demoToursEveryTopicAndQuitsWithExitCodeZero() {
        ExampleRun run = capture(() -> Examples.run("demo"));

        assertThat(run.exitCode()).isEqualTo(Concurrence.EXIT_OK);
        assertThat(run.out())
                .contains("join(t1) = 30, join(t2) = 70")
                .containsPattern("(?m)^parent \\[.*\\]$")
                .containsPattern("(?m)^  task1 \\[waiting on Channel.*\\]$")
                .contains("later, after 350 ms")
                .contains("counter says 42")
                .contains("timeout: Tasklet.call of 'counter' timed out after 100 ms")
                .contains("== done");
        assertThat(run.out().lines().filter(l -> l.startsWith("select received")).findFirst().orElseThrow())
                .contains("#1", "#2", "#3", "one", "two", "three");
    }

    @Test
    void anUnknownExampleNameIsRefusedWithTheListOfNames() {
        ExampleRun run = capture(() -> Examples.run("nope"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unknown example 'nope'", "hello", "message", "demo");
    }
}
