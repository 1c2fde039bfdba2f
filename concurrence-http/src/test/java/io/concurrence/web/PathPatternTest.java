package io.concurrence.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PathPattern} on its own: literal segments, {@code {name}} for one segment, a final {@code {name...}}
 * for the rest, what does not match, malformed patterns, and the specificity the router sorts routes by.
 * Paths reach a pattern already percent-decoded (the server decodes them; see {@code RouterHttpTest}).
 */
@Timeout(60)
class PathPatternTest {

    @Test
    void literalPatternMatchesOnlyItsOwnPath() {
        PathPattern pattern = PathPattern.parse("/users/all");

        assertThat(pattern.match("/users/all")).isEmpty();
        assertThat(pattern.match("/users/al")).isNull();
        assertThat(pattern.match("/users/all/")).isNull();
        assertThat(pattern.match("/users")).isNull();
        assertThat(pattern.match("/USERS/all")).as("literals are case-sensitive").isNull();
    }

    @Test
    void rootPatternMatchesOnlyTheRoot() {
        PathPattern pattern = PathPattern.parse("/");

        assertThat(pattern.match("/")).isEmpty();
        assertThat(pattern.match("/x")).isNull();
        assertThat(pattern.match("")).isNull();
    }

    @Test
    void parameterBindsOneWholeSegment() {
        PathPattern pattern = PathPattern.parse("/users/{id}/posts/{postId}");

        assertThat(pattern.match("/users/42/posts/7")).containsExactly(Map.entry("id", "42"), Map.entry("postId", "7"));
        assertThat(pattern.match("/users/42/posts")).isNull();
        assertThat(pattern.match("/users/42/posts/7/8")).isNull();
        assertThat(pattern.match("/users/42/comments/7")).isNull();
    }

    @Test
    void parameterDoesNotMatchAnEmptySegment() {
        PathPattern pattern = PathPattern.parse("/users/{id}");

        assertThat(pattern.match("/users/")).isNull();
        assertThat(pattern.match("/users//")).isNull();
    }

    @Test
    void parameterValueIsTheDecodedSegmentAsGiven() {
        PathPattern pattern = PathPattern.parse("/users/{name}");

        assertThat(pattern.match("/users/Jürgen Müller")).containsEntry("name", "Jürgen Müller");
        assertThat(pattern.match("/users/a+b;c=d")).containsEntry("name", "a+b;c=d");
    }

    @Test
    void restParameterBindsTheRestOfThePathWithItsSlashes() {
        PathPattern pattern = PathPattern.parse("/files/{path...}");

        assertThat(pattern.match("/files/a/b/c.txt")).containsExactly(Map.entry("path", "a/b/c.txt"));
        assertThat(pattern.match("/files/a/")).containsExactly(Map.entry("path", "a/"));
        assertThat(pattern.match("/other/a")).isNull();
    }

    @Test
    void restParameterMayBeEmpty() {
        PathPattern pattern = PathPattern.parse("/files/{path...}");

        assertThat(pattern.match("/files/")).containsExactly(Map.entry("path", ""));
        assertThat(pattern.match("/files")).containsExactly(Map.entry("path", ""));
    }

    @Test
    void restParameterAtTheRootMatchesEveryPath() {
        PathPattern pattern = PathPattern.parse("/{path...}");

        assertThat(pattern.match("/")).containsExactly(Map.entry("path", ""));
        assertThat(pattern.match("/a/b")).containsExactly(Map.entry("path", "a/b"));
    }

    @Test
    void parametersAndRestCombine() {
        PathPattern pattern = PathPattern.parse("/repos/{owner}/{repo}/blob/{path...}");

        assertThat(pattern.match("/repos/acme/rocket/blob/src/main/Main.java")).containsExactly(
                Map.entry("owner", "acme"), Map.entry("repo", "rocket"), Map.entry("path", "src/main/Main.java"));
        assertThat(pattern.match("/repos/acme/rocket/tree/src")).isNull();
    }

    @Test
    void pathWithoutLeadingSlashNeverMatches() {
        assertThat(PathPattern.parse("/{path...}").match("a/b")).isNull();
        assertThat(PathPattern.parse("/{id}").match("42")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"users", "", "users/{id}"})
    void patternMustStartWithSlash(String pattern) {
        assertThatThrownBy(() -> PathPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("starts with '/'");
    }

    @Test
    void restParameterMustBeLast() {
        assertThatThrownBy(() -> PathPattern.parse("/files/{path...}/raw"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{path...}")
                .hasMessageContaining("last segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/id{id}", "/users/{id}.json", "/users/{id", "/users/id}"})
    void parameterMustBeAWholeSegment(String pattern) {
        assertThatThrownBy(() -> PathPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("whole segment");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/users/{}", "/users/{user-id}", "/users/{a b}", "/files/{...}"})
    void parameterNameMustBeLettersDigitsOrUnderscores(String pattern) {
        assertThatThrownBy(() -> PathPattern.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Bad parameter name");
    }

    @Test
    void nullPatternIsRejected() {
        assertThatThrownBy(() -> PathPattern.parse(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void moreLiteralSegmentsAreMoreSpecific() {
        assertThat(PathPattern.parse("/users/me").specificity())
                .isGreaterThan(PathPattern.parse("/users/{id}").specificity());
        assertThat(PathPattern.parse("/a/{x}/c").specificity())
                .isEqualTo(PathPattern.parse("/a/b/{y}").specificity());
    }

    @Test
    void restParameterIsLessSpecificThanAParameterWithTheSameLiterals() {
        assertThat(PathPattern.parse("/files/{name}").specificity())
                .isGreaterThan(PathPattern.parse("/files/{path...}").specificity());
    }

    @Test
    void restPatternWithMoreLiteralsIsMoreSpecificThanParametersOnly() {
        // Router's contract: "the one with more literal segments wins". Both match /a/b/c.
        assertThat(PathPattern.parse("/a/{rest...}").specificity())
                .isGreaterThan(PathPattern.parse("/{x}/{y}/{z}").specificity());
        assertThat(PathPattern.parse("/a/{rest...}").specificity())
                .isGreaterThan(PathPattern.parse("/{x}/{y}/{rest...}").specificity());
    }

    @Test
    void toStringIsThePattern() {
        assertThat(PathPattern.parse("/users/{id}")).hasToString("/users/{id}");
    }
}
