/**
 * Spring Boot auto-configuration for Concurrence: {@code ConcurrenceHttpAutoConfiguration} (an {@code HttpServer}
 * serving the application's routers, handlers and controllers), {@code ConcurrenceDbAutoConfiguration} (a
 * {@code DataSource} on {@code ConcurrenceDataSource}) and {@code ConcurrenceRemoteAutoConfiguration} (a
 * {@code RemoteServer} exposing {@code @RemoteEndpoint} beans, and {@code RemoteClient}s),
 * each active when its module is on the class path and backing off when the application defines its own bean.
 */
@NullMarked
package io.concurrence.spring;

import org.jspecify.annotations.NullMarked;
