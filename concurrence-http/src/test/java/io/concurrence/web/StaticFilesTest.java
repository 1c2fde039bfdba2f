package io.concurrence.web;

import static io.concurrence.web.WebTestSupport.rawBody;
import static io.concurrence.web.WebTestSupport.rawHeader;
import static io.concurrence.web.WebTestSupport.rawStatus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import io.concurrence.web.WebTestSupport.Reply;
import io.concurrence.web.WebTestSupport.TestServer;

/**
 * {@link StaticFiles} from a directory, from the class path and from a jar (the same files: {@code static/}
 * in the test resources, copied to a temporary directory and into a jar): content types, length, validators and conditional requests,
 * directories and their {@code index.html}, {@code HEAD}, and no way out of the root, however the path is
 * spelled: next to each root lies a secret file whose content must never be served.
 */
@Timeout(60)
class StaticFilesTest {

    private static final String SECRET = "TOP-SECRET-42";
    private static final String CLASSPATH_SECRET = "CLASSPATH-SECRET-7";

    @TempDir
    static Path temp;

    private static Path root;
    private static Path resources;
    private static URLClassLoader jarLoader;
    private static TestServer server;
    /** A server whose only handler is a StaticFiles directory (the file is the whole request path). */
    private static TestServer bare;

    /** Where the files come from: each is routed under its own prefix. */
    enum Source {
        DIRECTORY("/static/"), CLASSPATH("/cp/"), JAR("/jar/");

        final String prefix;

        Source(String prefix) {
            this.prefix = prefix;
        }
    }

    @BeforeAll
    static void startServers() throws IOException, URISyntaxException {
        resources = Path.of(StaticFilesTest.class.getResource("/static").toURI());
        root = temp.resolve("public");
        try (Stream<Path> files = Files.walk(resources)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Path target = root.resolve(resources.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        Files.writeString(temp.resolve("secret.txt"), SECRET);
        Files.createDirectories(temp.resolve("public-other"));
        Files.writeString(temp.resolve("public-other").resolve("secret.txt"), SECRET);
        Files.write(root.resolve("large.bin"), largeContent());

        jarLoader = new URLClassLoader(new URL[] {writeJar().toUri().toURL()}, null);

        server = TestServer.start(Router.create()
                .get("/static/{path...}", StaticFiles.directory(root))
                .get("/cp/{path...}", StaticFiles.classpath("static"))
                .get("/jar/{path...}", StaticFiles.classpath(jarLoader, "/static/")));
        bare = TestServer.start(StaticFiles.directory(root));
    }

    @AfterAll
    static void stopServers() throws IOException {
        server.close();
        bare.close();
        jarLoader.close();
    }

    /** The test resources as a jar: {@code static/} with its directory entries, and the secret beside it. */
    private static Path writeJar() throws IOException {
        Path jar = temp.resolve("site.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
             Stream<Path> files = Files.walk(resources)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = "static/" + resources.relativize(file).toString().replace('\\', '/');
                boolean directory = Files.isDirectory(file);
                JarEntry entry = new JarEntry(directory ? (name.endsWith("/") ? name : name + "/") : name);
                entry.setLastModifiedTime(Files.getLastModifiedTime(file));
                out.putNextEntry(entry);
                if (!directory) {
                    out.write(Files.readAllBytes(file));
                }
                out.closeEntry();
            }
            out.putNextEntry(new JarEntry("static-secret.txt"));
            out.write(CLASSPATH_SECRET.getBytes(StandardCharsets.UTF_8));
            out.closeEntry();
        }
        return jar;
    }

    private static byte[] largeContent() {
        byte[] bytes = new byte[300_000];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static String get(String target) {
        return server.raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    }

    // ---- content ----

    static Stream<Arguments> typedFiles() {
        String[][] files = {
            {"index.html", "text/html; charset=UTF-8"},
            {"style.css", "text/css; charset=UTF-8"},
            {"app.js", "text/javascript; charset=UTF-8"},
            {"data.json", "application/json"},
            {"logo.png", "image/png"},
            {"icon.svg", "image/svg+xml"},
            {"notes.txt", "text/plain; charset=UTF-8"},
            {"blob.xyz", "application/octet-stream"},
            {"LICENSE", "application/octet-stream"},
        };
        return Stream.of(Source.values()).flatMap(source -> Stream.of(files)
                .map(file -> Arguments.of(source, file[0], file[1])));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("typedFiles")
    void fileIsServedWithTypeFromItsExtensionAndItsLength(Source source, String name, String type) throws Exception {
        byte[] expected = Files.readAllBytes(resources.resolve(name));

        Reply reply = server.get(source.prefix + name);

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue(type);
        assertThat(reply.header("Content-Length")).hasValue(Integer.toString(expected.length));
        assertThat(reply.bytes()).isEqualTo(expected);
    }

    @Test
    void largeFileIsStreamedWhole() {
        Reply reply = server.get("/static/large.bin");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Length")).hasValue("300000");
        assertThat(reply.bytes()).isEqualTo(largeContent());
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void missingFileIs404(Source source) {
        Reply reply = server.get(source.prefix + "missing.txt");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.text()).isEqualTo("Not Found");
        assertThat(reply.header("Content-Type")).hasValue("text/plain; charset=UTF-8");
    }

    @Test
    void handlerWithoutARouteServesTheWholeRequestPath() {
        assertThat(bare.get("/notes.txt").text()).isEqualTo("Plain notes.\n");
        assertThat(bare.get("/sub/index.html").text()).contains("sub index");
    }

    @Test
    void directoryThatDoesNotExistIsRefused() {
        assertThatThrownBy(() -> StaticFiles.directory(temp.resolve("nowhere")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a directory");
        assertThatThrownBy(() -> StaticFiles.directory(temp.resolve("secret.txt")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- directories ----

    @ParameterizedTest
    @EnumSource(Source.class)
    void directoryServesItsIndexHtml(Source source) {
        for (String path : new String[] {"", "sub/", "sub"}) {
            Reply reply = server.get(source.prefix + path);

            assertThat(reply.status()).as(path).isEqualTo(200);
            assertThat(reply.header("Content-Type")).as(path).hasValue("text/html; charset=UTF-8");
            assertThat(reply.text()).as(path).contains(path.isEmpty() ? "root index" : "sub index");
        }
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void directoryWithoutIndexIs404(Source source) {
        assertThat(server.get(source.prefix + "nodir/").status()).isEqualTo(404);
        Reply withoutSlash = server.get(source.prefix + "nodir");
        assertThat(withoutSlash.status()).isEqualTo(404);
        assertThat(withoutSlash.text()).as("no directory listing").doesNotContain("file.txt");
    }

    @Test
    void bareRootServesItsIndexHtml() {
        assertThat(bare.get("/").text()).contains("root index");
    }

    // ---- validators and conditional requests ----

    @ParameterizedTest
    @EnumSource(Source.class)
    void fileHasAnEtagAndItsModificationTimeAsLastModified(Source source) throws Exception {
        Reply reply = server.get(source.prefix + "notes.txt");

        assertThat(reply.header("ETag")).hasValueSatisfying(etag -> assertThat(etag).matches("\"[^\"]+\""));
        // A resource in a jar is as old as the jar.
        Instant modified = Files.getLastModifiedTime(source == Source.JAR ? temp.resolve("site.jar")
                : resources.resolve("notes.txt")).toInstant();
        assertThat(reply.header("Last-Modified")).hasValueSatisfying(date -> assertThat(
                ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
                .isEqualTo(Instant.ofEpochSecond(modified.getEpochSecond())));
    }

    @Test
    void etagChangesWhenTheFileChanges() throws Exception {
        String before = server.get("/static/notes.txt").header("ETag").orElseThrow();
        Path copy = root.resolve("changing.txt");
        Files.writeString(copy, "one");
        String first = server.get("/static/changing.txt").header("ETag").orElseThrow();
        Files.writeString(copy, "three");
        String second = server.get("/static/changing.txt").header("ETag").orElseThrow();

        assertThat(first).isNotEqualTo(second).isNotEqualTo(before);
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void matchingIfNoneMatchIs304WithoutBody(Source source) {
        String etag = server.get(source.prefix + "style.css").header("ETag").orElseThrow();

        for (String condition : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            String response = server.raw("GET " + source.prefix + "style.css HTTP/1.1\r\nHost: x\r\n"
                    + "If-None-Match: " + condition + "\r\nConnection: close\r\n\r\n");

            assertThat(rawStatus(response)).as(condition).isEqualTo(304);
            assertThat(rawBody(response)).as(condition).isEmpty();
            assertThat(rawHeader(response, "ETag")).as(condition).hasValue(etag);
        }
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void notModifiedAnswerDoesNotClaimAnEmptyBody(Source source) {
        String etag = server.get(source.prefix + "style.css").header("ETag").orElseThrow();

        String response = server.raw("GET " + source.prefix + "style.css HTTP/1.1\r\nHost: x\r\n"
                + "If-None-Match: " + etag + "\r\nConnection: close\r\n\r\n");

        // RFC 9110 8.6: a 304 carries no Content-Length, or the length the 200 would have had.
        assertThat(rawHeader(response, "Content-Length")).satisfiesAnyOf(
                length -> assertThat(length).isEmpty(),
                length -> assertThat(length).hasValue("30"));
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void otherIfNoneMatchIsAnsweredInFull(Source source) {
        Reply reply = server.get(source.prefix + "style.css", "If-None-Match", "\"stale\"");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("body { background: #a0f0f0; }\n");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void ifModifiedSinceTheLastModificationIs304WithoutBody(Source source) {
        String lastModified = server.get(source.prefix + "app.js").header("Last-Modified").orElseThrow();

        String response = server.raw("GET " + source.prefix + "app.js HTTP/1.1\r\nHost: x\r\n"
                + "If-Modified-Since: " + lastModified + "\r\nConnection: close\r\n\r\n");

        assertThat(rawStatus(response)).isEqualTo(304);
        assertThat(rawBody(response)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void ifModifiedSinceBeforeTheLastModificationIsAnsweredInFull(Source source) {
        Reply reply = server.get(source.prefix + "app.js", "If-Modified-Since", "Thu, 01 Jan 1970 00:00:01 GMT");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text()).isEqualTo("console.log(\"hello\");\n");
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void malformedIfModifiedSinceIsIgnored(Source source) {
        assertThat(server.get(source.prefix + "app.js", "If-Modified-Since", "yesterday").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Source.class)
    void ifNoneMatchTakesPrecedenceOverIfModifiedSince(Source source) {
        String lastModified = server.get(source.prefix + "app.js").header("Last-Modified").orElseThrow();

        Reply reply = server.get(source.prefix + "app.js", "If-None-Match", "\"stale\"",
                "If-Modified-Since", lastModified);

        assertThat(reply.status()).isEqualTo(200);
    }

    // ---- HEAD ----

    @ParameterizedTest
    @EnumSource(Source.class)
    void headSendsTheHeadOfTheFileWithoutBody(Source source) {
        String response = server.raw("HEAD " + source.prefix + "data.json HTTP/1.1\r\nHost: x\r\n"
                + "Connection: close\r\n\r\n");

        assertThat(rawStatus(response)).isEqualTo(200);
        assertThat(rawHeader(response, "Content-Type")).hasValue("application/json");
        assertThat(rawHeader(response, "Content-Length")).hasValue("38");
        assertThat(rawHeader(response, "ETag")).isPresent();
        assertThat(rawBody(response)).isEmpty();
    }

    // ---- no way out of the root ----

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapes")
    void pathThatLeavesTheRootIs404AndNeverTheFileOutside(String target) {
        String response = get(target);

        assertThat(rawStatus(response)).as(target).isIn(400, 404);
        assertThat(response).as(target).doesNotContain(SECRET).doesNotContain(CLASSPATH_SECRET);
    }

    static Stream<String> escapes() {
        String secretPath = temp.resolve("secret.txt").toAbsolutePath().toString();
        return Stream.of(
                "/static/../secret.txt",
                "/static/sub/../../secret.txt",
                "/static/%2e%2e/secret.txt",
                "/static/%2E%2E/secret.txt",
                "/static/..%2fsecret.txt",
                "/static/..%2Fsecret.txt",
                "/static/%2e%2e%2fsecret.txt",
                "/static/..%5csecret.txt",
                "/static/sub%5c..%5c..%5csecret.txt",
                "/static/./../secret.txt",
                "/static/../public-other/secret.txt",
                "/static/" + secretPath,
                "/static//" + secretPath.substring(1),
                "/static/%2f" + secretPath.substring(1),
                "/static/secret.txt%00.html",
                "/cp/../static-secret.txt",
                "/cp/%2e%2e/static-secret.txt",
                "/cp/..%2fstatic-secret.txt",
                "/cp/..%5cstatic-secret.txt",
                "/cp//static-secret.txt",
                "/cp/../io/concurrence/web/StaticFilesTest.class",
                "/jar/../static-secret.txt",
                "/jar/%2e%2e/static-secret.txt",
                "/jar/..%2fstatic-secret.txt",
                "/jar//static-secret.txt",
                "http://x/static/../secret.txt");
    }

    @Test
    void bareHandlerRefusesPathsThatLeaveTheRoot() {
        for (String target : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
            "/..%5csecret.txt", "//" + temp.resolve("secret.txt").toAbsolutePath().toString().substring(1)}) {
            String response = bare.raw("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");

            assertThat(rawStatus(response)).as(target).isIn(400, 404);
            assertThat(response).as(target).doesNotContain(SECRET);
        }
    }

    @Test
    void symbolicLinkLeavingTheRootIs404() throws IOException {
        Path link = root.resolve("link-to-secret.txt");
        Path dirLink = root.resolve("link-to-temp");
        try {
            Files.createSymbolicLink(link, temp.resolve("secret.txt"));
            Files.createSymbolicLink(dirLink, temp);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links are not supported here: " + e);
        }

        String viaFile = get("/static/link-to-secret.txt");
        String viaDirectory = get("/static/link-to-temp/secret.txt");

        assertThat(rawStatus(viaFile)).isEqualTo(404);
        assertThat(viaFile).doesNotContain(SECRET);
        assertThat(rawStatus(viaDirectory)).isEqualTo(404);
        assertThat(viaDirectory).doesNotContain(SECRET);
    }

    @Test
    void symbolicLinkInsideTheRootIsServed() throws IOException {
        Path link = root.resolve("link-to-notes.txt");
        try {
            Files.createSymbolicLink(link, root.resolve("notes.txt"));
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links are not supported here: " + e);
        }

        assertThat(server.get("/static/link-to-notes.txt").text()).isEqualTo("Plain notes.\n");
    }

    @Test
    void secretsExistWhereTheEscapesPoint() throws IOException {
        // Guards the escape tests: they would pass vacuously if the secrets were not where they aim.
        assertThat(Files.readString(temp.resolve("secret.txt"))).isEqualTo(SECRET);
        assertThat(new String(StaticFilesTest.class.getResourceAsStream("/static-secret.txt").readAllBytes(),
                StandardCharsets.UTF_8)).startsWith(CLASSPATH_SECRET);
        assertThat(StaticFilesTest.class.getResource("/io/concurrence/web/StaticFilesTest.class")).isNotNull();
    }
}
