package io.concurrence.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Routes an {@code HttpHandler} bean in the application's Concurrence HTTP server: requests whose path
 * matches one of {@link #value()} and whose method is one of {@link #method()} run the bean. Put it on the
 * bean's class or on its {@code @Bean} method:
 * <pre>{@code
 * @Bean
 * @HttpRoute("/hello/{name}")
 * HttpHandler hello() {
 *     return (request, response) -> response.send("Hello, " + request.pathParam("name"));
 * }
 * }</pre>
 * An {@code HttpHandler} bean without this annotation (that is not a {@code Router}) is not routed: it may be
 * a piece that the application wires into its own {@code Router}.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface HttpRoute {

    /**
     * The path patterns, as {@code Router} takes them (e.g. {@code /users/{id}}, {@code /files/{path...}}).
     *
     * @return one or more patterns
     */
    String[] value();

    /**
     * The HTTP methods routed to the bean, e.g. {@code {"GET", "POST"}}. Default: {@code GET} (which also
     * answers {@code HEAD}).
     *
     * @return one or more methods
     */
    String[] method() default "GET";
}
