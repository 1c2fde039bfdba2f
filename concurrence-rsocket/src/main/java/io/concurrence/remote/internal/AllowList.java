package io.concurrence.remote.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DatabindContext;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.jsontype.PolymorphicTypeValidator;

/**
 * The types a {@link MessageCodec} may write and read, by binary class name. Built once, immutable, so
 * safe to share between threads.
 *
 * <p>A record or an enum allows itself; a sealed interface allows every permitted subtype, recursively.
 * A name read from the wire is looked up here, never passed to {@code Class.forName}: a type outside the list
 * is neither loaded nor initialized.
 */
final class AllowList {

    private final Map<String, Class<?>> byName;

    private AllowList(Map<String, Class<?>> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /**
     * Resolves the allowed types.
     *
     * @throws IllegalArgumentException if a class is neither a record, an enum nor a sealed interface, or a
     *     sealed interface permits such a class
     */
    static AllowList of(Set<Class<?>> roots) {
        Objects.requireNonNull(roots, "allowed");
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> root : roots) {
            add(Objects.requireNonNull(root, "allowed class"), null, byName);
        }
        return new AllowList(byName);
    }

    private static void add(Class<?> type, @Nullable Class<?> sealedParent, Map<String, Class<?>> byName) {
        if (type.isRecord() || type.isEnum()) {
            byName.put(type.getName(), type);
        } else if (type.isInterface() && type.isSealed()) {
            for (Class<?> permitted : type.getPermittedSubclasses()) {
                add(permitted, type, byName);
            }
        } else {
            String where = sealedParent == null ? "" : " (permitted by sealed " + sealedParent.getName() + ")";
            throw new IllegalArgumentException("cannot allow " + type.getName() + where + ": it is " + kind(type)
                    + "; a codec allows records, enums, and sealed interfaces whose permitted subtypes are"
                    + " records, enums or sealed interfaces");
        }
    }

    private static String kind(Class<?> type) {
        if (type.isInterface()) {
            return type.isSealed() ? "a sealed interface" : "an interface that is not sealed";
        }
        if (type.isArray() || type.isPrimitive()) {
            return "not a class";
        }
        return "a class that is not a record";
    }

    /** Returns the allowed type with this binary name, or null. Never loads a class. */
    @Nullable Class<?> find(String name) {
        return byName.get(name);
    }

    /** Returns true if this exact type is allowed. */
    boolean allows(Class<?> type) {
        return byName.get(type.getName()) == type;
    }

    /** Returns the allowed types, in the order they were resolved. */
    Map<String, Class<?>> types() {
        return byName;
    }

    /** Returns a validator that lets Jackson resolve a polymorphic type id only to an allowed type. */
    PolymorphicTypeValidator validator() {
        return new Validator(this);
    }

    /** Decides on the name before Jackson loads anything: an allowed name is accepted, any other refused. */
    private static final class Validator extends PolymorphicTypeValidator {

        private static final long serialVersionUID = 1L;

        private final transient AllowList allowList;

        Validator(AllowList allowList) {
            this.allowList = allowList;
        }

        @Override
        public Validity validateBaseType(DatabindContext ctxt, JavaType baseType) {
            return Validity.INDETERMINATE;
        }

        @Override
        public Validity validateSubClassName(DatabindContext ctxt, JavaType baseType, String subClassName) {
            return allowList.find(subClassName) != null ? Validity.ALLOWED : Validity.DENIED;
        }

        @Override
        public Validity validateSubType(DatabindContext ctxt, JavaType baseType, JavaType subType) {
            return allowList.allows(subType.getRawClass()) ? Validity.ALLOWED : Validity.DENIED;
        }
    }
}
