package io.concurrence.db.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a list option given as text ({@code tlsVersion}, {@code sessionVariables}) into its items: at commas
 * outside quotes ({@code '...'}, {@code "..."}, {@code `...`}, with MySQL's doubled quote or backslash inside) and
 * outside parentheses, so {@code sql_mode='A,B'} or {@code @x=CONCAT('a', 'b')} stays one item. Each item is
 * trimmed and empty ones are dropped.
 */
public final class OptionLists {

    private OptionLists() {
    }

    /**
     * The items of {@code value}, the text of option {@code option}.
     *
     * @throws IllegalArgumentException naming the option, when a quote is not closed or a parenthesis not matched
     */
    public static List<String> split(String option, String value) {
        List<String> items = new ArrayList<>();
        StringBuilder item = new StringBuilder();
        char quote = 0;
        int depth = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quote != 0) {
                if (c == '\\' && quote != '`' && i + 1 < value.length()) {
                    item.append(c);
                    c = value.charAt(++i); // an escaped character never closes the quote
                } else if (c == quote) {
                    quote = 0; // a doubled quote closes and reopens: the item stays whole either way
                }
                item.append(c);
            } else if (c == ',' && depth == 0) {
                add(items, item);
            } else {
                if (c == '\'' || c == '"' || c == '`') {
                    quote = c;
                } else if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth < 0) {
                    throw bad(option, value, "has a ')' without its '('");
                }
                item.append(c);
            }
        }
        if (quote != 0) {
            throw bad(option, value, "has an unterminated " + quote + " quote");
        }
        if (depth > 0) {
            throw bad(option, value, "has a '(' without its ')'");
        }
        add(items, item);
        return List.copyOf(items);
    }

    private static void add(List<String> items, StringBuilder item) {
        String text = item.toString().strip();
        if (!text.isEmpty()) {
            items.add(text);
        }
        item.setLength(0);
    }

    private static IllegalArgumentException bad(String option, String value, String problem) {
        return new IllegalArgumentException("option " + option + "='" + value + "' " + problem + ": expected items"
                + " separated by commas, each quote closed (e.g. sql_mode='STRICT_ALL_TABLES,ANSI_QUOTES')");
    }
}
