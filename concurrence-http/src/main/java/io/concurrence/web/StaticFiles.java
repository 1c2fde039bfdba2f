package io.concurrence.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.jar.JarEntry;

import org.jspecify.annotations.Nullable;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;

/**
 * Serves files from a directory or from the class path, with a {@code Content-Type} from the extension,
 * {@code Content-Length}, {@code ETag} and {@code Last-Modified} (answering conditional requests
 * {@code 304}), and no way out of the root: {@code ..}, absolute paths, backslashes, NUL and symbolic links
 * that leave the root are answered 404.
 * <pre>{@code
 * router.get("/static/{path...}", StaticFiles.directory(Path.of("public")));
 * router.get("/assets/{path...}", StaticFiles.classpath("web/assets"));
 * }</pre>
 *
 * <p>The file served is the route's {@code path} parameter, or the whole request path; a directory (or an
 * empty path) serves its {@code index.html}. Files stream through the response (the heap holds 64 KiB at a
 * time, whatever the size).
 *
 * @since 0.1
 */
public final class StaticFiles {

    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=UTF-8"), Map.entry("htm", "text/html; charset=UTF-8"),
            Map.entry("css", "text/css; charset=UTF-8"), Map.entry("js", "text/javascript; charset=UTF-8"),
            Map.entry("mjs", "text/javascript; charset=UTF-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=UTF-8"), Map.entry("csv", "text/csv; charset=UTF-8"),
            Map.entry("xml", "application/xml"), Map.entry("svg", "image/svg+xml"), Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"), Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"), Map.entry("pdf", "application/pdf"),
            Map.entry("woff", "font/woff"), Map.entry("woff2", "font/woff2"), Map.entry("ttf", "font/ttf"),
            Map.entry("wasm", "application/wasm"), Map.entry("map", "application/json"),
            Map.entry("zip", "application/zip"), Map.entry("gz", "application/gzip"), Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"), Map.entry("mp3", "audio/mpeg"));

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private StaticFiles() {
    }

    /**
     * Serves the files under {@code root}.
     *
     * @param root a directory
     * @return the handler
     * @throws IllegalArgumentException if {@code root} is not a directory
     */
    public static HttpHandler directory(Path root) {
        Objects.requireNonNull(root, "root");
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("StaticFiles.directory: " + root + " is not a directory");
        }
        Path base;
        try {
            base = root.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException("StaticFiles.directory: cannot resolve " + root, e);
        }
        return (request, response) -> serveFile(base, relativePath(request), request, response);
    }

    /**
     * Serves the resources under {@code prefix} of this class's class loader (or the context one).
     *
     * @param prefix a resource folder, e.g. {@code web/assets}
     * @return the handler
     */
    public static HttpHandler classpath(String prefix) {
        Objects.requireNonNull(prefix, "prefix");
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return classpath(context != null ? context : StaticFiles.class.getClassLoader(), prefix);
    }

    /**
     * Serves the resources under {@code prefix} of {@code loader}.
     *
     * @param loader the class loader to read from
     * @param prefix a resource folder, e.g. {@code web/assets}
     * @return the handler
     */
    public static HttpHandler classpath(ClassLoader loader, String prefix) {
        Objects.requireNonNull(loader, "loader");
        String folder = trimSlashes(Objects.requireNonNull(prefix, "prefix"));
        return (request, response) -> serveResource(loader, folder, relativePath(request), request, response);
    }

    /** The content type for a file name, by extension; {@code application/octet-stream} when unknown. */
    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type != null ? type : "application/octet-stream";
    }

    private static @Nullable String relativePath(HttpRequest request) {
        String relative = request.pathParams().get("path");
        if (relative == null) {
            relative = request.path().substring(1);
        }
        if (relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0 || relative.startsWith("/")) {
            return null;
        }
        for (String segment : relative.split("/", -1)) {
            if (segment.equals("..") || segment.equals(".")) {
                return null;
            }
        }
        return relative.isEmpty() || relative.endsWith("/") ? relative + "index.html" : relative;
    }

    private static void serveFile(Path base, @Nullable String relative, HttpRequest request, HttpResponse response)
            throws IOException {
        if (relative == null) {
            notFound(response);
            return;
        }
        Path file = base.resolve(relative).normalize();
        if (Files.isDirectory(file)) {
            file = file.resolve("index.html");
        }
        if (!file.startsWith(base) || !Files.isRegularFile(file) || !Files.isReadable(file)
                || !file.toRealPath().startsWith(base)) {
            notFound(response);
            return;
        }
        long size = Files.size(file);
        long modified = Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toMillis();
        if (answerConditional(request, response, size, modified, file.getFileName().toString())) {
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            copy(in, request, response);
        }
    }

    private static void serveResource(ClassLoader loader, String folder, @Nullable String relative,
                                      HttpRequest request, HttpResponse response) throws IOException {
        String name = relative == null ? null : folder.isEmpty() ? relative : folder + "/" + relative;
        URL resource = name == null ? null : loader.getResource(name);
        if (resource != null && isDirectory(resource)) {
            // A folder without a trailing slash, found as a directory (exploded) or a directory entry (jar).
            relative = relative + "/index.html";
            resource = loader.getResource(name + "/index.html");
        }
        if (resource == null || resource.getPath().endsWith("/") || isDirectory(resource)) {
            notFound(response);
            return;
        }
        URLConnection connection = resource.openConnection();
        long size = connection.getContentLengthLong();
        long modified = connection.getLastModified();
        if (answerConditional(request, response, size, modified, relative)) {
            return;
        }
        try (InputStream in = connection.getInputStream()) {
            copy(in, request, response);
        }
    }

    /**
     * Whether a resource is a folder: opening one would serve a listing (exploded class path) or nothing (jar),
     * with a length that is not the body's.
     */
    private static boolean isDirectory(URL resource) throws IOException {
        if (resource.getProtocol().equals("file")) {
            try {
                return Files.isDirectory(Path.of(resource.toURI()));
            } catch (URISyntaxException | IllegalArgumentException e) {
                return false;
            }
        }
        if (resource.openConnection() instanceof JarURLConnection jar) {
            JarEntry entry = jar.getJarEntry();
            return entry != null && entry.isDirectory();
        }
        return false;
    }

    /** Sets the validators and content headers; answers 304 and returns true when the client's copy is fresh. */
    private static boolean answerConditional(HttpRequest request, HttpResponse response, long size, long modified,
                                             String name) {
        String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(modified) + "\"";
        response.setHeader("ETag", etag);
        long seconds = modified / 1000;
        if (modified > 0) {
            response.setHeader("Last-Modified",
                    HTTP_DATE.format(Instant.ofEpochSecond(seconds).atOffset(ZoneOffset.UTC)));
        }
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        boolean fresh;
        if (ifNoneMatch.isPresent()) {
            fresh = matches(ifNoneMatch.get(), etag);
        } else {
            fresh = modified > 0 && request.header("If-Modified-Since")
                    .map(StaticFiles::parseDate).map(since -> since >= seconds).orElse(false);
        }
        if (fresh) {
            response.status(304).send(new byte[0]);
            return true;
        }
        response.setHeader("Content-Type", contentType(name));
        if (size >= 0) {
            response.setHeader("Content-Length", Long.toString(size));
        }
        return false;
    }

    private static boolean matches(String ifNoneMatch, String etag) {
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
                return true;
            }
        }
        return false;
    }

    private static @Nullable Long parseDate(String value) {
        try {
            return ZonedDateTime.parse(value.trim(), HTTP_DATE).toEpochSecond();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void copy(InputStream in, HttpRequest request, HttpResponse response) throws IOException {
        OutputStream out = response.outputStream();
        if (!request.method().equals("HEAD")) {
            byte[] buffer = new byte[65_536];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
            }
        }
        out.close();
    }

    private static void notFound(HttpResponse response) {
        response.status(404).contentType("text/plain; charset=UTF-8").send("Not Found");
    }

    private static String trimSlashes(String prefix) {
        String trimmed = prefix;
        while (trimmed.startsWith("/")) {
            trimmed = trimmed.substring(1);
        }
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
