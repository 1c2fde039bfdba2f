package io.concurrence.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The commands of the guide against the examples this module has: every {@code -Dexample=NAME} that docs/ or the
 * README gives names an example {@link Examples} runs, and docs/examples.md has a section and a command for each
 * of them, so that no page sends a reader to an example that is not there and none is left undocumented.
 */
class ExamplesPageTest {

    /** An example's name is lower case; {@code -Dexample=NAME} in prose is a placeholder, not a command. */
    private static final Pattern COMMAND = Pattern.compile("-Dexample=([a-z][\\w-]*)");
    private static final Pattern SECTION = Pattern.compile("(?m)^## (.+)$");

    private final Path root = repositoryRoot();

    @Test
    void everyExampleTheGuideNamesExists() {
        List<Path> pages = new ArrayList<>(markdown(root.resolve("docs")));
        pages.add(root.resolve("README.md"));
        Set<String> named = new TreeSet<>();
        for (Path page : pages) {
            Matcher m = COMMAND.matcher(read(page));
            while (m.find()) {
                assertThat(Examples.names()).as("-Dexample=%s in %s", m.group(1), root.relativize(page))
                        .contains(m.group(1));
                named.add(m.group(1));
            }
        }
        assertThat(named).as("examples the guide names").hasSizeGreaterThan(10);
    }

    @Test
    void examplesMdHasASectionAndACommandForEveryExample() {
        String page = read(root.resolve("docs/examples.md"));
        Set<String> commands = new TreeSet<>();
        Matcher command = COMMAND.matcher(page);
        while (command.find()) {
            commands.add(command.group(1));
        }
        Set<String> sectionWords = new TreeSet<>();
        Matcher section = SECTION.matcher(page);
        while (section.find()) {
            for (String word : section.group(1).split("\\s+")) {
                sectionWords.add(word.toLowerCase(Locale.ROOT));
            }
        }
        assertThat(commands).as("examples docs/examples.md gives a command for")
                .containsAll(Examples.names());
        assertThat(sectionWords).as("words of docs/examples.md's section titles").containsAll(Examples.names());
    }

    /** The nearest directory, from the working directory up, that holds docs/examples.md. */
    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/examples.md"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("a directory above %s with docs/examples.md", Path.of("").toAbsolutePath()).isNotNull();
        return dir;
    }

    private static List<Path> markdown(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
