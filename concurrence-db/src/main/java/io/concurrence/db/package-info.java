/**
 * A JDBC driver and {@link javax.sql.DataSource} whose IO is R2DBC MySQL: plain JDBC in tasklets, every query
 * on {@code io.asyncer:r2dbc-mysql} through r2dbc-pool, the tasklet waiting only in {@code Await}.
 * Start with {@link io.concurrence.db.ConcurrenceDataSource} or
 * {@code DriverManager.getConnection("jdbc:concurrence:mysql://host:port/database?user=...&password=...")}.
 */
@NullMarked
package io.concurrence.db;

import org.jspecify.annotations.NullMarked;
