/**
 * Concurrence for Spring Boot: auto-configuration of the Concurrence modules present on the class path
 * (HTTP server, JDBC data source, remoting), each overridable by a bean of the application's.
 */
module io.concurrence.spring {
    requires transitive io.concurrence;
    requires spring.boot;
    requires spring.boot.autoconfigure;
    requires spring.context;
    requires spring.beans;
    requires spring.core;
    requires static io.concurrence.http;
    requires static io.concurrence.db;
    requires static io.concurrence.rsocket;
    requires static spring.boot.jdbc;
    requires static spring.boot.health;
    requires static micrometer.core;
    requires static java.sql;
    requires static org.slf4j;
    requires static org.jspecify;

    exports io.concurrence.spring;

    opens io.concurrence.spring to spring.core, spring.beans, spring.context;
}
