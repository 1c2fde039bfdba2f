package io.concurrence.docs;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a static, argument-less method of a snippet file as a snippet that the build runs
 * ({@code SnippetsRunTest} in {@code docs-snippets}).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface Snippet {

    /**
     * What the snippet prints on {@code System.out}, line by line; empty (the default) means not checked.
     * Trailing whitespace of each line and the final newline are ignored; {@code <id>} stands for any number.
     */
    String[] output() default {};

    /**
     * Whether the snippet needs MySQL at {@code 127.0.0.1:3306} (database {@code test}, user {@code root}, no
     * password): skipped when it does not answer, failed instead when the environment variable {@code CI} is
     * {@code true}.
     */
    boolean mysql() default false;

    /**
     * Whether the snippet needs memcached at {@code 127.0.0.1:11211} and {@code 127.0.0.1:11212}: skipped when they
     * do not answer, failed instead when {@code CI} is {@code true}.
     */
    boolean memcached() default false;

    /** Whether the test runs the snippet; {@code false} for snippets that are only compiled. */
    boolean run() default true;
}
