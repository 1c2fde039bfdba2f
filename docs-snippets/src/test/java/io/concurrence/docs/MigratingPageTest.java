package io.concurrence.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * docs/migrating-from-concurrence.md against the API: every {@code Type.member} its tables give in the Java column,
 * where the type is one of ours, is a public method, field or nested type of that type, so the page maps the seed's
 * names to names that exist.
 */
class MigratingPageTest {

    /** The exported packages, where a simple type name of the page is looked up. */
    private static final List<String> PACKAGES = List.of("io.concurrence", "io.concurrence.reactor",
            "io.concurrence.net", "io.concurrence.http", "io.concurrence.web", "io.concurrence.db",
            "io.concurrence.remote", "io.concurrence.memcache", "io.concurrence.spring");

    /** A table row: the Python column, then the Java one. */
    private static final Pattern ROW = Pattern.compile("^\\| (.*?) \\| (.*?) \\|");
    /** {@code Type.member} inside code in a cell (also {@code Type.Nested.member}). */
    private static final Pattern MEMBER = Pattern.compile("\\b([A-Z]\\w*(?:\\.[A-Z]\\w*)*)\\.(\\w+)");

    @Test
    void everyMemberOfOurTypesTheJavaColumnNamesExists() throws IOException {
        List<String> checked = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        DocSnippets docs = DocSnippets.fromWorkingDirectory();
        for (String line : Files.readAllLines(docs.root().resolve("docs/migrating-from-concurrence.md"))) {
            Matcher row = ROW.matcher(line);
            if (!row.find()) {
                continue;
            }
            for (String code : codeSpans(row.group(2))) {
                Matcher member = MEMBER.matcher(code);
                while (member.find()) {
                    Optional<Class<?>> type = ours(member.group(1));
                    if (type.isPresent()) {
                        checked.add(member.group());
                        if (!hasMember(type.get(), member.group(2))) {
                            missing.add(member.group() + " (in: " + line + ")");
                        }
                    }
                }
            }
        }
        assertThat(missing).as("names in the Java column that our API does not have").isEmpty();
        assertThat(checked).as("Type.member names checked").hasSizeGreaterThan(30);
    }

    private static List<String> codeSpans(String cell) {
        List<String> spans = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(cell);
        while (m.find()) {
            spans.add(m.group(1));
        }
        return spans;
    }

    /** Our public type of that (possibly nested) simple name, if one of the exported packages has it. */
    private static Optional<Class<?>> ours(String dottedName) {
        String binary = dottedName.replace('.', '$');
        for (String pkg : PACKAGES) {
            try {
                Class<?> type = Class.forName(pkg + "." + binary, false, MigratingPageTest.class.getClassLoader());
                if (Modifier.isPublic(type.getModifiers())) {
                    return Optional.of(type);
                }
            } catch (ClassNotFoundException e) {
                // not in this package: try the next
            }
        }
        return Optional.empty();
    }

    private static boolean hasMember(Class<?> type, String name) {
        return Arrays.stream(type.getMethods()).map(Method::getName).anyMatch(name::equals)
                || Arrays.stream(type.getFields()).map(Field::getName).anyMatch(name::equals)
                || Arrays.stream(type.getClasses()).map(Class::getSimpleName).anyMatch(name::equals);
    }
}
