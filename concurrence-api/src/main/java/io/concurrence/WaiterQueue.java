package io.concurrence;

import org.jspecify.annotations.Nullable;

/**
 * A FIFO of {@link ChannelWaiter}s linked through their own {@code prev}/{@code next} fields, so that a
 * waiter that gives up is unlinked in O(1). Not thread-safe: guarded by its channel's lock.
 */
final class WaiterQueue {

    private @Nullable ChannelWaiter head;
    private @Nullable ChannelWaiter tail;
    private int size;

    void add(ChannelWaiter w) {
        w.prev = tail;
        w.next = null;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        size++;
    }

    /** The first waiter, or null. */
    @Nullable ChannelWaiter peek() {
        return head;
    }

    /** Unlinks and returns the first waiter, or null. */
    @Nullable ChannelWaiter poll() {
        ChannelWaiter w = head;
        if (w != null) {
            remove(w);
        }
        return w;
    }

    /**
     * Unlinks {@code w} if it is queued here. A waiter is only ever queued on one queue, once, and its links
     * are cleared when it leaves: it is queued iff it has a predecessor or is the head.
     */
    void remove(ChannelWaiter w) {
        if (w.prev == null && head != w) {
            return;
        }
        ChannelWaiter prev = w.prev;
        ChannelWaiter next = w.next;
        if (prev == null) {
            head = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prev = prev;
        }
        w.prev = null;
        w.next = null;
        size--;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }
}
