package io.concurrence.spring;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.util.ClassUtils;

/** Resolves the message types a server or client allows: class names from properties, and the type beans. */
final class RemoteAllowList {

    private RemoteAllowList() {
    }

    /**
     * The classes named in {@code names} (under {@code property}) and those of every {@link RemoteMessageTypes}.
     *
     * @throws IllegalArgumentException naming the property, when a class is not found
     */
    static Class<?>[] resolve(String property, List<String> names, ObjectProvider<RemoteMessageTypes> beans,
            @Nullable ClassLoader loader) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i).trim();
            try {
                types.add(ClassUtils.forName(name, loader));
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalArgumentException(property + "[" + i + "]: class " + name + " is not found: expected"
                        + " the binary name of a record or sealed interface (e.g. com.example.Proto$Msg)", e);
            }
        }
        beans.orderedStream().forEach(bean -> types.addAll(bean.types()));
        return types.toArray(Class<?>[]::new);
    }
}
