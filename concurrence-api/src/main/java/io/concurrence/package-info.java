/**
 * Concurrence core: tasklets, channels, mailboxes, messages and timeouts.
 *
 * <p>A {@link io.concurrence.Tasklet} is a virtual thread plus bookkeeping: a name, a place in the
 * parent/children tree, a {@link io.concurrence.Mailbox} and a result. Tasklets talk by message passing,
 * over {@link io.concurrence.Channel}s (rendezvous or buffered, with {@link io.concurrence.Select}) and
 * through mailboxes ({@link io.concurrence.Message}, {@link io.concurrence.Call},
 * {@link io.concurrence.Envelope}).
 *
 * <h2>Conventions for the whole package</h2>
 * <ul>
 *   <li><b>Nulls.</b> Unless a parameter is annotated {@code @Nullable}, passing null throws
 *       {@link java.lang.NullPointerException}.</li>
 *   <li><b>Blocking.</b> A method documented as blocking parks the calling tasklet without holding an OS
 *       thread (called from a platform thread, it blocks that thread). Every blocking method has a
 *       {@link java.time.Duration} overload; the untimed form waits indefinitely, subject to the ambient
 *       {@link io.concurrence.Timeout}. A duration of zero or less means "do not wait": the call succeeds
 *       only if it can complete at once, and throws {@link io.concurrence.TimeoutException} otherwise. The
 *       one blocking call that ignores the ambient deadline is {@link io.concurrence.Tasklet#sleep}.</li>
 *   <li><b>Kill.</b> {@link io.concurrence.Tasklet#kill()} interrupts the tasklet: whatever Concurrence
 *       call it is blocked in (or the next one it makes) throws {@link io.concurrence.TaskletExit}, after
 *       undoing its wait (a channel's balance is restored, a pending call's late reply is dropped). An
 *       interrupt of a platform thread blocked in a Concurrence call has the same effect, and the thread's
 *       interrupt flag stays set.</li>
 *   <li><b>Threads.</b> Everything is thread-safe and may be called from any thread, virtual or platform,
 *       except {@link io.concurrence.Tasklet#current()} and {@link io.concurrence.Tasklet#receive()}, which
 *       need the caller to be a tasklet.</li>
 *   <li><b>Errors.</b> All exceptions are unchecked and extend {@link io.concurrence.ConcurrenceException},
 *       except for misuse ({@link java.lang.IllegalArgumentException}, {@link java.lang.IllegalStateException},
 *       {@link java.util.NoSuchElementException}).</li>
 * </ul>
 *
 * @since 0.1
 */
@NullMarked
package io.concurrence;

import org.jspecify.annotations.NullMarked;
