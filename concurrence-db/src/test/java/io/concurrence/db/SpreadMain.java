package io.concurrence.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Run in a child JVM by {@code PoolTest}: holds {@code n} connections of one pool, queries each, and prints the
 * names of the database event-loop threads that exist then ({@code loops=<name>,<name>...}). A loop's thread
 * starts when the first connection registers on it.
 */
public final class SpreadMain {

    private SpreadMain() {
    }

    /**
     * @param args the JDBC URL and the number of connections to hold
     */
    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[1]);
        try (ConcurrenceDataSource db = ConcurrenceDataSource.fromUrl(args[0] + (args[0].contains("?") ? "&" : "?")
                + "poolSize=" + n + "&poolName=spread")) {
            List<Connection> held = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                held.add(db.getConnection());
            }
            for (Connection c : held) {
                try (PreparedStatement s = c.prepareStatement("SELECT 1"); ResultSet rs = s.executeQuery()) {
                    rs.next();
                }
            }
            Set<String> loops = Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                    .filter(name -> name.startsWith("concurrence-db-")).collect(Collectors.toSet());
            System.out.println("loops=" + loops.stream().sorted().collect(Collectors.joining(",")));
            for (Connection c : held) {
                c.close();
            }
        }
    }
}
