/**
 * Not API. May change in any release. Do not use.
 *
 * <p>The machinery shared by the Concurrence modules: deadline arithmetic and the ambient deadline
 * stack ({@link io.concurrence.internal.Deadlines}), the one park loop every blocking call uses
 * ({@link io.concurrence.internal.Parking}), and the registry of task-locals that travel into Reactor's
 * context ({@link io.concurrence.internal.Propagation}).
 */
@NullMarked
package io.concurrence.internal;

import org.jspecify.annotations.NullMarked;
