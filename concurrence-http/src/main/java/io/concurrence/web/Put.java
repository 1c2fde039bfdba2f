package io.concurrence.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Routes PUT requests for a path pattern to the annotated public method of a controller registered with
 * {@link Router#controller(Object, Filter...)}. See {@link Route} for the patterns, parameters and return values.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Put {

    /**
     * The path pattern, e.g. {@code /users/{id}}; several patterns route each to the method, as the seed's
     * {@code @web.route} did when stacked (e.g. {@code @Get({"/greeting", "/welcome"})}).
     *
     * @return the patterns
     */
    String[] value();
}
