package io.concurrence.remote.internal;

import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.databind.DefaultTyping;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;
import tools.jackson.databind.jsontype.impl.DefaultTypeResolverBuilder;

/**
 * Jackson default typing restricted to values declared with a sealed interface type (a record component
 * typed {@code Shape}, {@code List<Shape>}, {@code Optional<Shape>}…): such a value is written as
 * {@code [binaryClassName, value]}, and the name read back is checked by the allow-list's validator before
 * anything is loaded. Fields of a concrete declared type (a record, a {@code String}) carry no type id.
 */
final class SealedTyping extends DefaultTypeResolverBuilder {

    private static final long serialVersionUID = 1L;

    SealedTyping(PolymorphicTypeValidator validator) {
        super(validator, DefaultTyping.NON_FINAL, JsonTypeInfo.As.WRAPPER_ARRAY, JsonTypeInfo.Id.CLASS, null);
    }

    @Override
    public boolean useForType(JavaType type) {
        Class<?> raw = type.getRawClass();
        return raw.isInterface() && raw.isSealed();
    }
}
