package io.concurrence.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Routes requests with any method for a path pattern to the annotated public method of a controller
 * registered with {@link Router#controller(Object, Filter...)}; {@link Get}, {@link Post}, {@link Put} and
 * {@link Delete} are shorthands.
 *
 * <p><b>Patterns:</b> literal segments, {@code {name}} (one segment, bound as a path parameter) and, as the
 * last segment, {@code {name...}} (the rest of the path).
 *
 * <p><b>Parameters</b> of the method, in any order: {@code HttpRequest}, {@code HttpResponse},
 * {@link PathParam}, {@link QueryParam} ({@code String}, {@code int}, {@code long}, {@code boolean},
 * {@code UUID}, or {@code Optional<String>} for an optional one) and {@link Body} ({@code String},
 * {@code byte[]}, or a type read from JSON). A missing or unconvertible parameter is answered 400, naming it.
 *
 * <p><b>Return value:</b> {@code void} (the method wrote the response), {@code String} (sent as
 * {@code text/html; charset=UTF-8} unless the method set a content type, as in the seed), {@code byte[]}
 * ({@code application/octet-stream} unless set), or any other object (sent as JSON; needs Jackson).
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Route {

    /**
     * The HTTP method, e.g. {@code PATCH}.
     *
     * @return the method
     */
    String method();

    /**
     * The path pattern; several patterns route each to the method.
     *
     * @return the patterns
     */
    String[] path();
}
