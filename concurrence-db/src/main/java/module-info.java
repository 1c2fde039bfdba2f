/**
 * Concurrence DB: a JDBC driver and DataSource whose IO is R2DBC MySQL.
 * Its package ({@code io.concurrence.db}) arrives with the DB issue.
 */
module io.concurrence.db {
    requires transitive io.concurrence;
}
