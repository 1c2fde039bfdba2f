package io.concurrence.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Every code block that a page of docs/ marks with {@code <!-- snippet: file#region -->} shows exactly that region
 * of the snippet file (indentation normalized), so the guide shows code that compiles and runs. With
 * {@code -Dsnippets.update=true} the test rewrites the blocks from the files first.
 */
class SnippetsInDocsTest {

    private static final boolean UPDATE = Boolean.getBoolean("snippets.update");

    @Test
    void everyMarkedBlockShowsItsRegion() {
        DocSnippets docs = DocSnippets.fromWorkingDirectory();
        int marked = 0;
        for (Path page : docs.pages()) {
            if (UPDATE) {
                docs.update(page);
            }
            List<DocSnippets.Block> blocks = docs.blocks(page);
            marked += blocks.size();
            for (DocSnippets.Block block : blocks) {
                assertThat(block.shown()).as("%s differs from its region; run ./mvnw -o -pl docs-snippets test "
                        + "-Dtest=SnippetsInDocsTest -Dsnippets.update=true", block).isEqualTo(block.expected());
            }
        }
        assertThat(marked).as("marked blocks in docs/*.md").isPositive();
    }

    /** development.md shows the snippet markup itself, in an example block that is not a snippet. */
    @Test
    void everyJavaBlockOfTheGuideIsASnippet() {
        DocSnippets docs = DocSnippets.fromWorkingDirectory();
        for (Path page : docs.pages()) {
            if (!page.getFileName().toString().equals("development.md")) {
                assertThat(docs.unmarkedJavaBlocks(page))
                        .as("lines of %s opening a ```java block with no <!-- snippet: file#region --> marker", page)
                        .isEmpty();
            }
        }
    }

    @Test
    void dedentRemovesCommonIndentationAndBlankEdges() {
        assertThat(DocSnippets.dedent(List.of("", "        a();", "            b();", "", "        c();", "  ")))
                .isEqualTo("a();\n    b();\n\nc();");
    }
}
