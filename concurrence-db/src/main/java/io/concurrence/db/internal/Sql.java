package io.concurrence.db.internal;

/** Small lexical helpers over MySQL SQL text. */
final class Sql {

    private Sql() {
    }

    /** {@code name} as a MySQL quoted identifier: in backticks, inner backticks doubled. */
    static String quoteIdentifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /**
     * The number of {@code ?} placeholders in {@code sql}, skipping string literals ('...', "..."), quoted
     * identifiers (`...`) and comments ({@code -- }, {@code #}, {@code /* *}{@code /}).
     */
    static int countParameters(String sql) {
        int count = 0;
        int n = sql.length();
        for (int i = 0; i < n; i++) {
            char c = sql.charAt(i);
            switch (c) {
                case '\'', '"', '`' -> i = skipQuoted(sql, i, c);
                case '#' -> i = skipLine(sql, i);
                case '-' -> {
                    if (i + 2 < n + 1 && i + 1 < n && sql.charAt(i + 1) == '-'
                            && (i + 2 >= n || Character.isWhitespace(sql.charAt(i + 2)))) {
                        i = skipLine(sql, i);
                    }
                }
                case '/' -> {
                    if (i + 1 < n && sql.charAt(i + 1) == '*') {
                        int end = sql.indexOf("*/", i + 2);
                        i = end < 0 ? n : end + 1;
                    }
                }
                case '?' -> count++;
                default -> {
                }
            }
        }
        return count;
    }

    /** The first keyword of {@code sql}, upper-cased, after blanks and comments ("" if none). */
    static String firstKeyword(String sql) {
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c) || c == '(') {
                i++;
            } else if (c == '#' || (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-')) {
                i = skipLine(sql, i) + 1;
            } else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else {
                break;
            }
        }
        int start = i;
        while (i < n && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(start, i).toUpperCase(java.util.Locale.ROOT);
    }

    private static int skipQuoted(String sql, int start, char quote) {
        int n = sql.length();
        for (int i = start + 1; i < n; i++) {
            char c = sql.charAt(i);
            if (c == '\\' && quote != '`') {
                i++;
            } else if (c == quote) {
                if (i + 1 < n && sql.charAt(i + 1) == quote) {
                    i++;
                } else {
                    return i;
                }
            }
        }
        return n;
    }

    private static int skipLine(String sql, int start) {
        int end = sql.indexOf('\n', start);
        return end < 0 ? sql.length() : end;
    }
}
