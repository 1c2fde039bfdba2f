/**
 * Concurrence DB: a JDBC driver and DataSource whose IO is R2DBC MySQL.
 */
module io.concurrence.db {
    requires transitive io.concurrence;
    requires transitive java.sql;
    requires java.sql.rowset;
    requires io.concurrence.reactor;
    requires reactor.core;
    requires org.reactivestreams;
    requires reactor.netty.core;
    requires io.netty.transport;
    requires io.netty.common;
    requires r2dbc.mysql;
    requires r2dbc.pool;
    requires r2dbc.spi;
    requires reactor.pool;
    requires org.jspecify;
    requires org.slf4j;
    requires static micrometer.core;

    exports io.concurrence.db;

    provides java.sql.Driver with io.concurrence.db.ConcurrenceDriver;
}
