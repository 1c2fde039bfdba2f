/**
 * The JDBC facade's machinery: connections, statements and result sets over R2DBC MySQL and r2dbc-pool.
 * Not API. May change in any release. Do not use.
 */
@NullMarked
package io.concurrence.db.internal;

import org.jspecify.annotations.NullMarked;
