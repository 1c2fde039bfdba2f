package io.concurrence.db.internal;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Parses {@code jdbc:concurrence:mysql://host[:port][/database][?name=value&...]} into its parts. Options come
 * from the driver's {@link Properties} first; the URL's query overrides them.
 *
 * @param host the host (an IPv6 address in brackets keeps them off)
 * @param port the port
 * @param database the database, empty if none
 * @param options every option, in order: the properties' (sorted by name, {@link Properties} having no order) then
 *        the query's as written; a name given again keeps its first place and takes the last value, so the query
 *        overrides the properties. Unmodifiable
 */
public record DbUrl(String host, int port, String database, Map<String, String> options) {

    /** Keeps an unmodifiable copy of {@code options} in their order. */
    public DbUrl {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        options = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(options, "options")));
    }

    /** The prefix every URL of this driver starts with. */
    public static final String PREFIX = "jdbc:concurrence:mysql://";

    /** The value of a {@code password} option of a query (group 1: what comes before it). */
    private static final Pattern PASSWORD_VALUE = Pattern.compile("(?i)([?&]password=)[^&#]*");

    /** Whether {@code url} is one of ours. */
    public static boolean accepts(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length());
    }

    /**
     * Parses {@code url}, taking options from {@code info} and then from the URL's query.
     *
     * @throws SQLException (SQLState 08001) naming what is wrong when the URL is malformed
     */
    public static DbUrl parse(String url, Properties info) throws SQLException {
        if (!accepts(url)) {
            throw new SQLException("not a Concurrence MySQL URL: " + redacted(url) + " (expected " + PREFIX
                    + "host:port/database?user=...&password=...)", "08001");
        }
        String rest = url.substring(PREFIX.length());
        String query = "";
        int q = rest.indexOf('?');
        if (q >= 0) {
            query = rest.substring(q + 1);
            rest = rest.substring(0, q);
        }
        String authority = rest;
        String database = "";
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            authority = rest.substring(0, slash);
            database = decode(rest.substring(slash + 1), url, false);
        }
        String host = authority;
        int port = DbConfig.DEFAULT_PORT;
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']', colon) < 0) {
            host = authority.substring(0, colon);
            String portText = authority.substring(colon + 1);
            try {
                port = Integer.parseInt(portText);
            } catch (NumberFormatException e) {
                throw new SQLException("bad port '" + portText + "' in " + redacted(url) + ": expected a number",
                        "08001", e);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new SQLException("no host in " + redacted(url) + ": expected " + PREFIX + "host:port/database",
                    "08001");
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (info != null) {
            for (String name : new TreeSet<>(info.stringPropertyNames())) {
                options.put(name, info.getProperty(name));
            }
        }
        if (!query.isEmpty()) {
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name = decode(eq < 0 ? pair : pair.substring(0, eq), url, false);
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1), url, isSecret(name));
                options.put(name, value);
            }
        }
        return new DbUrl(host, port, database, options);
    }

    /**
     * {@code url} fit for a message or a log: the value of its {@code password} option replaced by {@code ***}.
     *
     * @param url a URL as given (it may be malformed)
     * @return the URL without its password
     */
    public static String redacted(String url) {
        return PASSWORD_VALUE.matcher(url).replaceAll("$1***");
    }

    private static boolean isSecret(String option) {
        return option.equalsIgnoreCase("password");
    }

    private static String decode(String text, String url, boolean secret) throws SQLException {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SQLException("bad percent-encoding " + (secret ? "in the password" : "'" + text + "'") + " in "
                    + redacted(url), "08001", e);
        }
    }
}
