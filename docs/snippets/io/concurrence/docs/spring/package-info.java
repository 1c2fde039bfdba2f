/**
 * The Spring Boot snippets of {@code docs/spring-boot.md}: beans for the starter, compiled by the build.
 */
@NullMarked
package io.concurrence.docs.spring;

import org.jspecify.annotations.NullMarked;
