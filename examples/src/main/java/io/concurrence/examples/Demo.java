package io.concurrence.examples;

/** Placeholder, replaced below. */
final class Demo {
    private Demo() {
    }

    static void main() {
        Hello.main();
    }
}
