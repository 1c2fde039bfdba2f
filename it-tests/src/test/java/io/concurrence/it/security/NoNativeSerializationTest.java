package io.concurrence.it.security;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import io.concurrence.it.support.Figures;

/**
 * No Java native deserialization anywhere: no source file of any module (main or test) mentions
 * {@code ObjectInputStream}, {@code readObject(}, {@code readUnshared(} or {@code enableResolveObject}, and no
 * main class of any library module depends on {@code java.io.ObjectInputStream}. Both checks are shown to find a
 * fixture that does. (The remote codec's Jackson setup, which must not resolve arbitrary classes named on the
 * wire either, is attacked in {@link RemoteSecurityTest}.)
 */
class NoNativeSerializationTest {

    /** What a source file must not contain (spelt in pieces, so that this file does not contain them). */
    static final List<String> FORBIDDEN = List.of("Object" + "InputStream", "read" + "Object(", "read" + "Unshared(",
            "enable" + "ResolveObject");
    /** The fixture the scan must find: a resource, not compiled, not a {@code .java} file of the repository. */
    static final String FIXTURE = "/security/NativeDeserialization.java.txt";

    /** The files allowed to name it, relative to the repository: this test and its class rule's fixture. */
    static final List<String> EXEMPT = List.of(
            "it-tests/src/test/java/io/concurrence/it/security/NoNativeSerializationTest.java",
            "it-tests/src/test/java/io/concurrence/it/security/fixture/NativeReader.java");

    /** The repository: the parent of {@code it-tests}, the working directory of its tests. */
    static Path repository() {
        Path here = Path.of("").toAbsolutePath();
        Path root = here.getFileName().toString().equals("it-tests") ? here.getParent() : here;
        assertThat(root.resolve("pom.xml")).as("the repository root holds the parent pom").exists();
        assertThat(root.resolve("concurrence-api/src")).as("and the modules").isDirectory();
        return root;
    }

    @Test
    void noSourceFileOfAnyModuleUsesNativeDeserialization() throws IOException {
        Path root = repository();
        List<Path> sources = sourceFiles(root).stream()
                .filter(file -> !EXEMPT.contains(root.relativize(file).toString().replace('\\', '/'))).toList();
        assertThat(sources).as("the scan sees the modules' sources").hasSizeGreaterThan(100)
                .contains(root.resolve("concurrence-rsocket/src/main/java/io/concurrence/remote/internal"
                        + "/MessageCodec.java"));
        assertThat(findings(sources)).as("native deserialization in the sources").isEmpty();
        Figures.record("NoNativeSerializationTest", "source files scanned for native deserialization",
                sources.size());
    }

    @Test
    void theScanFindsNativeDeserializationInAFixture(@TempDir Path repository) throws IOException {
        Path module = Files.createDirectories(repository.resolve("some-module/src/main/java/example"));
        try (InputStream fixture = NoNativeSerializationTest.class.getResourceAsStream(FIXTURE)) {
            assertThat(fixture).as(FIXTURE).isNotNull();
            Files.copy(fixture, module.resolve("NativeDeserialization.java"));
        }
        List<String> findings = findings(sourceFiles(repository));
        assertThat(findings).hasSize(3).allMatch(finding -> finding.contains("NativeDeserialization.java:"));
        assertThat(String.join("\n", findings)).contains("Object" + "InputStream", "read" + "Object(");
    }

    @Test
    void noMainClassOfAnyModuleDependsOnObjectInputStream() {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.concurrence");
        assertThat(main.contain("io.concurrence.remote.internal.MessageCodec")).isTrue();
        assertThat(main.contain("io.concurrence.http.HttpServer")).isTrue();
        assertThat(main.contain("io.concurrence.db.ConcurrenceDriver")).isTrue();
        noNativeDeserialization("io.concurrence..").check(main);
    }

    @Test
    void theClassRuleFindsAClassThatReadsNativeSerialization() {
        JavaClasses fixtures = new ClassFileImporter().importPackages("io.concurrence.it.security.fixture");
        assertThatThrownBy(() -> noNativeDeserialization("io.concurrence.it.security.fixture..").check(fixtures))
                .isInstanceOf(AssertionError.class).hasMessageContaining("NativeReader")
                .hasMessageContaining(ObjectInputStream.class.getName());
    }

    private static ArchRule noNativeDeserialization(String packages) {
        return noClasses().that().resideInAPackage(packages).should().dependOnClassesThat()
                .areAssignableTo(ObjectInputStream.class)
                .because("Java's native deserialization runs code chosen by whoever wrote the bytes");
    }

    /** Every {@code .java} file under a {@code src} directory of a module of {@code root}. */
    private static List<Path> sourceFiles(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> modules = Files.list(root)) {
            for (Path module : modules.filter(Files::isDirectory).toList()) {
                Path src = module.resolve("src");
                if (Files.isDirectory(src)) {
                    try (Stream<Path> walk = Files.walk(src)) {
                        walk.filter(p -> p.toString().endsWith(".java") && Files.isRegularFile(p)).forEach(files::add);
                    }
                }
            }
        }
        return files;
    }

    /** {@code file:line: text} for each line of {@code files} holding a forbidden name. */
    private static List<String> findings(List<Path> files) {
        List<String> findings = new ArrayList<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (FORBIDDEN.stream().anyMatch(line::contains)) {
                    findings.add(file.getFileName() + ":" + (i + 1) + ": " + line.strip());
                }
            }
        }
        return findings;
    }
}
