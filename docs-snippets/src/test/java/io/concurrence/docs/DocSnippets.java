package io.concurrence.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The link between the guide's Markdown and its snippet files. A page marks a code block with
 * {@code <!-- snippet: docs/snippets/io/concurrence/docs/File.java#name -->} on the line right before its opening
 * fence; the block's content is the region of that file between {@code // tag::name[]} and {@code // end::name[]}
 * (lines holding other tag markers left out), with the common indentation removed.
 *
 * <p>{@link #main} rewrites every marked block from its region ({@code -Dsnippets.update=true} on
 * {@code SnippetsInDocsTest} does the same).
 */
final class DocSnippets {

    private static final Pattern MARKER = Pattern.compile("^<!-- snippet: (\\S+)#([\\w-]+) -->\\s*$");
    private static final Pattern TAG_LINE = Pattern.compile("^\\s*// (tag|end)::[\\w-]+\\[]\\s*$");

    /** One marked block of a page. */
    record Block(Path page, int markerLine, String file, String region, String shown, String expected) {

        boolean isCurrent() {
            return shown.equals(expected);
        }

        @Override
        public String toString() {
            return page.getFileName() + ":" + markerLine + " (" + file + "#" + region + ")";
        }
    }

    private final Path root;

    DocSnippets(Path root) {
        this.root = root;
    }

    /** The repository root: the nearest directory, from the working directory up, that holds docs/README.md. */
    static DocSnippets fromWorkingDirectory() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("docs/README.md"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no docs/README.md above " + Path.of("").toAbsolutePath());
        }
        return new DocSnippets(dir);
    }

    /** The repository's root directory. */
    Path root() {
        return root;
    }

    /** The Markdown pages of the guide: docs/*.md. */
    List<Path> pages() {
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            return files.filter(p -> p.toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every marked block of a page, with what it shows and what its region says. */
    List<Block> blocks(Path page) {
        List<String> lines = read(page);
        List<Block> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                i = closingFence(lines, i, page);   // an unmarked block: a marker shown inside it is an example
                continue;
            }
            Matcher m = MARKER.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            int open = i + 1;
            if (open >= lines.size() || !lines.get(open).startsWith("```")) {
                throw new IllegalStateException(page.getFileName() + ":" + (i + 1)
                        + ": a snippet marker must be followed at once by a fenced code block");
            }
            int close = closingFence(lines, open, page);
            String shown = dedent(lines.subList(open + 1, close));
            blocks.add(new Block(page, i + 1, m.group(1), m.group(2), shown, region(m.group(1), m.group(2))));
            i = close;
        }
        return blocks;
    }

    /**
     * The region's text: the lines between {@code // tag::name[]} and {@code // end::name[]}, dedented. A region may
     * come in several parts (the same pair of markers more than once, e.g. types and then the code that uses them):
     * each part is dedented on its own, and the parts are joined with a blank line. Fails when the file or the
     * region does not exist.
     */
    String region(String file, String name) {
        Path path = root.resolve(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalStateException("snippet file not found: " + file);
        }
        List<String> lines = read(path);
        String open = "// tag::" + name + "[]";
        String close = "// end::" + name + "[]";
        List<String> parts = new ArrayList<>();
        int start = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.equals(open)) {
                if (start >= 0) {
                    throw new IllegalStateException(file + ":" + (i + 1) + ": " + open + " inside the region");
                }
                start = i;
            } else if (line.equals(close)) {
                if (start < 0) {
                    throw new IllegalStateException(file + ":" + (i + 1) + ": " + close + " without " + open);
                }
                parts.add(dedent(lines.subList(start + 1, i).stream()
                        .filter(l -> !TAG_LINE.matcher(l).matches()).toList()));
                start = -1;
            }
        }
        if (start >= 0 || parts.isEmpty()) {
            throw new IllegalStateException(file + ": no complete region " + name + " (" + open + " ... " + close
                    + ")");
        }
        return String.join("\n\n", parts);
    }

    /** Rewrites every marked block of a page from its region; returns how many blocks changed. */
    int update(Path page) {
        List<String> lines = new ArrayList<>(read(page));
        int changed = 0;
        List<Block> blocks = blocks(page);
        for (int b = blocks.size() - 1; b >= 0; b--) {
            Block block = blocks.get(b);
            if (block.isCurrent()) {
                continue;
            }
            int open = block.markerLine();
            int close = closingFence(lines, open, page);
            lines.subList(open + 1, close).clear();
            lines.addAll(open + 1, block.expected().isEmpty() ? List.of() : block.expected().lines().toList());
            changed++;
        }
        if (changed > 0) {
            try {
                Files.write(page, lines, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return changed;
    }

    /** Rewrites the marked blocks of every page of the guide from the snippet files. */
    public static void main(String[] args) {
        DocSnippets docs = fromWorkingDirectory();
        for (Path page : docs.pages()) {
            int changed = docs.update(page);
            if (changed > 0) {
                System.out.println(page.getFileName() + ": " + changed + " block(s) rewritten");
            }
        }
    }

    /** The lines (1-based) that open a Java code block of the page with no snippet marker right before them. */
    List<Integer> unmarkedJavaBlocks(Path page) {
        List<String> lines = read(page);
        List<Integer> unmarked = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                boolean marked = i > 0 && MARKER.matcher(lines.get(i - 1)).matches();
                if (!marked && lines.get(i).strip().equals("```java")) {
                    unmarked.add(i + 1);
                }
                i = closingFence(lines, i, page);
            }
        }
        return unmarked;
    }

    /** The line of the fence that closes the block opened at {@code open} (as many backticks, or more). */
    private static int closingFence(List<String> lines, int open, Path page) {
        String opening = lines.get(open);
        String fence = opening.substring(0, opening.length() - opening.replaceFirst("^`+", "").length());
        for (int j = open + 1; j < lines.size(); j++) {
            String line = lines.get(j).strip();
            if (line.startsWith(fence) && line.replace("`", "").isEmpty()) {
                return j;
            }
        }
        throw new IllegalStateException(page.getFileName() + ":" + (open + 1) + ": unclosed code block");
    }

    /** Removes the indentation common to the non-blank lines, trailing whitespace, and blank edges. */
    static String dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            out.add(line.isBlank() ? "" : line.substring(indent).stripTrailing());
        }
        while (!out.isEmpty() && out.get(0).isEmpty()) {
            out.remove(0);
        }
        while (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.remove(out.size() - 1);
        }
        return String.join("\n", out);
    }

    private static List<String> read(Path path) {
        try {
            return Files.readAllLines(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
