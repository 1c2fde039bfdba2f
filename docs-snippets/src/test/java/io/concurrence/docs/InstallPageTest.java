package io.concurrence.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * docs/install.md against the build: its module table names every library module with its JPMS name and exported
 * packages as the module descriptors declare them, and its Maven and Gradle blocks name real artifacts at the
 * project's version, so a reader who copies them gets a build that resolves.
 */
class InstallPageTest {

    private static final Pattern TABLE_ROW = Pattern.compile("^\\| `([\\w-]+)` \\| (.*?) \\| (.*?) \\|");
    private static final Pattern CODE = Pattern.compile("`([\\w.]+)`");
    private static final Pattern MAVEN_DEPENDENCY = Pattern.compile(
            "<groupId>io\\.concurrence</groupId>\\s*<artifactId>([\\w-]+)</artifactId>(?:[^\\n]*\\n\\s*<version>"
                    + "([^<]+)</version>)?");
    private static final Pattern GRADLE_COORDINATE = Pattern.compile("\"io\\.concurrence:([\\w-]+)(?::([^\"]+))?\"");
    private static final Pattern MODULE_NAME = Pattern.compile("^\\s*(?:open\\s+)?module\\s+([\\w.]+)",
            Pattern.MULTILINE);
    /** {@code exports p;} without {@code to}: what any module may read. */
    private static final Pattern PUBLIC_EXPORT = Pattern.compile("^\\s*exports\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);

    private final Path root = DocSnippets.fromWorkingDirectory().root();
    private final String page = read(root.resolve("docs/install.md"));
    /** Every module of the build by artifact id, with its directory. */
    private final Map<String, Path> modules = modules(root);

    @Test
    void theModuleTableMatchesTheModuleDescriptors() {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        for (String line : page.lines().toList()) {
            Matcher row = TABLE_ROW.matcher(line);
            if (row.find()) {
                rows.put(row.group(1), List.of(row.group(2), row.group(3)));
            }
        }
        Set<String> libraries = new TreeSet<>();
        for (Map.Entry<String, Path> module : modules.entrySet()) {
            Path descriptor = module.getValue().resolve("src/main/java/module-info.java");
            if (!Files.isRegularFile(descriptor)) {
                continue;
            }
            libraries.add(module.getKey());
            String source = read(descriptor);
            List<String> row = rows.get(module.getKey());
            assertThat(row).as("install.md's table row for %s", module.getKey()).isNotNull();
            assertThat(codes(row.get(0))).as("the JPMS module of %s", module.getKey())
                    .containsExactly(first(MODULE_NAME, source));
            assertThat(codes(row.get(1))).as("the exported packages of %s", module.getKey())
                    .containsExactlyInAnyOrderElementsOf(all(PUBLIC_EXPORT, source));
        }
        assertThat(libraries).as("library modules (with a module-info.java)").hasSizeGreaterThan(5);
        Set<String> listed = new TreeSet<>(rows.keySet());
        listed.remove("concurrence-bom");
        assertThat(listed).as("modules install.md lists besides the BOM").isEqualTo(libraries);
        assertThat(rows).containsKey("concurrence-bom");
    }

    @Test
    void theMavenAndGradleBlocksNameRealArtifactsAtTheProjectVersion() {
        String version = projectVersion();
        List<String> named = new ArrayList<>();
        for (Pattern coordinate : List.of(MAVEN_DEPENDENCY, GRADLE_COORDINATE)) {
            Matcher m = coordinate.matcher(page);
            while (m.find()) {
                named.add(m.group(1));
                if (m.group(2) != null) {
                    assertThat(m.group(2)).as("the version install.md gives io.concurrence:%s", m.group(1))
                            .isEqualTo(version);
                }
            }
        }
        assertThat(named).as("io.concurrence artifacts in install.md's Maven and Gradle blocks")
                .contains("concurrence-bom", "concurrence-http", "concurrence-db");
        assertThat(modules.keySet()).as("artifacts of the build").containsAll(named);
        assertThat(page).as("the version install.md states").contains("`" + version + "`");
    }

    @Test
    void theBomPinsWhatThePageSaysItPins() {
        String bom = read(modules.get("concurrence-bom").resolve("pom.xml"));
        for (String pinned : List.of("netty-bom", "reactor-bom", "r2dbc-mysql", "r2dbc-pool")) {
            assertThat(bom).as("bom/pom.xml pins %s", pinned).contains("<artifactId>" + pinned + "</artifactId>");
        }
        for (String library : modules.keySet()) {
            if (!library.equals("concurrence-bom") && Files.isRegularFile(
                    modules.get(library).resolve("src/main/java/module-info.java"))) {
                assertThat(bom).as("bom/pom.xml pins %s", library)
                        .contains("<artifactId>" + library + "</artifactId>");
            }
        }
    }

    private String projectVersion() {
        // Every module inherits the version the BOM declares (the parent POM's own parent).
        String pom = read(root.resolve("bom/pom.xml"));
        Matcher m = Pattern.compile("<artifactId>concurrence-bom</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(pom);
        assertThat(m.find()).as("the BOM's version").isTrue();
        return m.group(1);
    }

    /** The build's modules: each directory below the root with a pom.xml, by the artifact id it declares. */
    private static Map<String, Path> modules(Path root) {
        Pattern own = Pattern.compile("</parent>\\s*(?:<[^>]+>[^<]*</[^>]+>\\s*)*?<artifactId>([\\w-]+)</artifactId>");
        Map<String, Path> modules = new LinkedHashMap<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).sorted().toList()) {
                String pom = read(dir.resolve("pom.xml"));
                Matcher m = own.matcher(pom);
                if (!m.find()) {
                    m = Pattern.compile("<artifactId>([\\w-]+)</artifactId>").matcher(pom);
                    assertThat(m.find()).as("an artifactId in %s", dir).isTrue();
                }
                modules.put(m.group(1), dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return modules;
    }

    private static List<String> codes(String cell) {
        List<String> codes = new ArrayList<>();
        Matcher m = CODE.matcher(cell);
        while (m.find()) {
            codes.add(m.group(1));
        }
        return codes;
    }

    private static String first(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        assertThat(m.find()).as("%s in %s", pattern, text).isTrue();
        return m.group(1);
    }

    private static List<String> all(Pattern pattern, String text) {
        List<String> found = new ArrayList<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
