package io.concurrence.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs every {@link Snippet} method of the guide's snippet files, one dynamic test each, and checks what it prints
 * when the annotation says.
 */
class SnippetsRunTest {

    /** Generous: CI runs on two shared cores, and some snippets start servers. */
    private static final Duration SAFETY = Duration.ofSeconds(60);
    private static final Duration CONNECT = Duration.ofSeconds(2);
    private static final boolean CI = "true".equals(System.getenv("CI"));

    @TestFactory
    Stream<DynamicTest> everySnippetRunsAndPrintsWhatThePageSays() throws Exception {
        List<Method> snippets = snippetMethods();
        assertThat(snippets).as("snippet methods found in docs/snippets").isNotEmpty();
        return snippets.stream().map(m -> DynamicTest.dynamicTest(
                m.getDeclaringClass().getSimpleName() + "." + m.getName(), () -> run(m)));
    }

    private static void run(Method method) throws Throwable {
        Snippet snippet = method.getAnnotation(Snippet.class);
        if (snippet.mysql()) {
            requireService("MySQL", method, 3306);
        }
        if (snippet.memcached()) {
            requireService("memcached", method, 11211, 11212);
        }
        String printed = capturingOut(() -> invoke(method));
        if (snippet.output().length > 0) {
            String expected = normalized(String.join("\n", snippet.output()));
            assertThat(normalized(printed)).as("what %s prints (expected: %s)", method.getName(), expected)
                    .matches(asPattern(expected));
        }
    }

    private static void invoke(Method method) throws Throwable {
        method.setAccessible(true);
        try {
            method.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private interface Body {
        void run() throws Throwable;
    }

    /** Runs the body with System.out copied into a buffer as well; snippets run one at a time. */
    private static String capturingOut(Body body) throws Throwable {
        PrintStream original = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream tee = new PrintStream(new TeeStream(original, buffer), true, StandardCharsets.UTF_8);
        System.setOut(tee);
        try {
            assertTimeoutPreemptively(SAFETY, () -> {
                body.run();
                return null;
            });
        } finally {
            tee.flush();
            System.setOut(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }

    /** The expected output as a pattern: literal, except that {@code <id>} stands for a number. */
    private static Pattern asPattern(String expected) {
        String[] parts = expected.split("<id>", -1);
        return Pattern.compile(Arrays.stream(parts).map(Pattern::quote).collect(Collectors.joining("\\d+")));
    }

    private static String normalized(String text) {
        return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).strip();
    }

    /** Skips the snippet when a service it needs does not answer on a port, or fails it when CI=true. */
    private static void requireService(String service, Method method, int... ports) {
        for (int port : ports) {
            if (!answers(port)) {
                String missing = service + " is not answering on 127.0.0.1:" + port;
                if (CI) {
                    throw new AssertionError(missing + " and CI=true: start it (.ci/run does) to run snippet "
                            + method.getName());
                }
                Assumptions.abort(missing);
            }
        }
    }

    private static boolean answers(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), (int) CONNECT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The @Snippet methods of every class compiled from docs/snippets, in a stable order. */
    private static List<Method> snippetMethods() throws IOException, URISyntaxException, ClassNotFoundException {
        Path classes = Path.of(Snippet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        List<String> names;
        try (Stream<Path> files = Files.walk(classes)) {
            names = files.map(p -> classes.relativize(p).toString())
                    .filter(n -> n.endsWith(".class") && !n.contains("$") && !n.endsWith("package-info.class"))
                    .map(n -> n.substring(0, n.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
                    .sorted()
                    .toList();
        }
        List<Method> methods = new ArrayList<>();
        for (String name : names) {
            Class<?> type = Class.forName(name);
            Arrays.stream(type.getDeclaredMethods())
                    .filter(m -> m.isAnnotationPresent(Snippet.class))
                    .filter(m -> m.getAnnotation(Snippet.class).run()) // compile-only ones: the build compiled them
                    .peek(m -> {
                        if (!Modifier.isStatic(m.getModifiers()) || m.getParameterCount() != 0) {
                            throw new IllegalStateException("@Snippet method " + name + "." + m.getName()
                                    + " must be static and take no arguments");
                        }
                    })
                    .sorted(Comparator.comparing(Method::getName))
                    .forEach(methods::add);
        }
        return methods;
    }
}
