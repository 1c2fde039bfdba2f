package io.concurrence.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A route's path pattern: literal segments, {@code {name}} (one segment) and a final {@code {name...}} (the
 * rest of the path, slashes included). Immutable.
 */
final class PathPattern {

    private final String pattern;
    private final List<String> literals;
    private final List<@Nullable String> names;
    private final @Nullable String tail;

    private PathPattern(String pattern, List<String> literals, List<@Nullable String> names, @Nullable String tail) {
        this.pattern = pattern;
        this.literals = literals;
        this.names = names;
        this.tail = tail;
    }

    /**
     * @throws IllegalArgumentException for a pattern that does not start with '/', or has a malformed or
     *         misplaced parameter
     */
    static PathPattern parse(String pattern) {
        Objects.requireNonNull(pattern, "pattern");
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("A path pattern starts with '/': " + pattern);
        }
        List<String> literals = new ArrayList<>();
        List<@Nullable String> names = new ArrayList<>();
        String tail = null;
        String[] segments = pattern.substring(1).split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.startsWith("{") && segment.endsWith("}")) {
                String name = segment.substring(1, segment.length() - 1);
                if (name.endsWith("...")) {
                    if (i != segments.length - 1) {
                        throw new IllegalArgumentException("{" + name + "} must be the last segment of " + pattern);
                    }
                    tail = checkName(name.substring(0, name.length() - 3), pattern);
                    break;
                }
                literals.add("");
                names.add(checkName(name, pattern));
            } else if (segment.contains("{") || segment.contains("}")) {
                throw new IllegalArgumentException("A parameter must be a whole segment, as in /users/{id}: "
                        + pattern);
            } else {
                literals.add(segment);
                names.add(null);
            }
        }
        return new PathPattern(pattern, literals, names, tail);
    }

    private static String checkName(String name, String pattern) {
        if (name.isEmpty() || !name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
            throw new IllegalArgumentException("Bad parameter name '" + name + "' in " + pattern);
        }
        return name;
    }

    /** The bound parameters if {@code path} matches, else null. */
    @Nullable Map<String, String> match(String path) {
        if (!path.startsWith("/")) {
            return null;
        }
        String[] segments = path.substring(1).split("/", -1);
        int fixed = literals.size();
        if (tail == null ? segments.length != fixed : segments.length < fixed) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < fixed; i++) {
            String name = names.get(i);
            if (name == null) {
                if (!literals.get(i).equals(segments[i])) {
                    return null;
                }
            } else {
                if (segments[i].isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>(4);
                }
                params.put(name, segments[i]);
            }
        }
        if (tail != null) {
            if (params == null) {
                params = new LinkedHashMap<>(2);
            }
            params.put(tail, String.join("/", java.util.Arrays.copyOfRange(segments, fixed, segments.length)));
        }
        return params == null ? Map.of() : params;
    }

    /**
     * Patterns with more literal segments win (whatever their parameters); among equals, one without a rest
     * parameter wins over one with it.
     */
    int specificity() {
        int literalSegments = 0;
        for (String name : names) {
            if (name == null) {
                literalSegments++;
            }
        }
        return literalSegments * 2 + (tail == null ? 1 : 0);
    }

    /** The names of the parameters this pattern binds. */
    Set<String> parameterNames() {
        Set<String> all = new LinkedHashSet<>();
        for (String name : names) {
            if (name != null) {
                all.add(name);
            }
        }
        if (tail != null) {
            all.add(tail);
        }
        return all;
    }

    /** Whether {@code other} matches exactly the same paths (parameter names aside). */
    boolean matchesSamePathsAs(PathPattern other) {
        if (literals.size() != other.literals.size() || (tail == null) != (other.tail == null)) {
            return false;
        }
        for (int i = 0; i < literals.size(); i++) {
            if ((names.get(i) == null) != (other.names.get(i) == null)
                    || !literals.get(i).equals(other.literals.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return pattern;
    }
}
