package io.concurrence.web;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Wraps a controller (on the class) or one of its methods in a {@link Filter}, created once from its public
 * no-argument constructor. As in the seed: the controller's filters run outermost, then the method's; among
 * either, the annotation written first (higher) runs further out.
 *
 * @since 0.1
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(Filtered.List.class)
public @interface Filtered {

    /**
     * The filter class.
     *
     * @return a Filter with a public no-argument constructor
     */
    Class<? extends Filter> value();

    /** The container of repeated {@link Filtered} annotations. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @interface List {

        /**
         * The filters, outermost first.
         *
         * @return the annotations
         */
        Filtered[] value();
    }
}
