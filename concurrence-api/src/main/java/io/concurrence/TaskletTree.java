package io.concurrence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * The tasklet forest (roots, parent/children links) and the runtime's counters.
 */
final class TaskletTree {

    /*
     * Implementation overview.
     *
     * A tasklet is either in its parent's children set or in ROOTS, never both while alive. The race to
     * handle is a child finishing while its parent finishes: each side CASes the child's parent field to
     * null, and the winner moves the child. If the parent wins, it adds the child to ROOTS and then reads the
     * child's `finishing` flag; the child sets that flag before its own CAS, and when its CAS loses it
     * removes itself from ROOTS. Either the parent sees the flag (and removes the child again), or the
     * child's removal comes after the parent's add. A finished tasklet is never left in ROOTS.
     *
     * ROOTS is not a concurrent set: a set node per root (32 bytes, plus its share of the table) was a third
     * of a parked tasklet's own bookkeeping (PERFORMANCE.md, tasklet-memory). It is a registry of lock
     * stripes, each a dense array of its roots; a root keeps its index (Tasklet.rootSlot), so add and remove
     * are O(1) under the stripe's lock, and both are idempotent, as the protocol above needs.
     */

    private static final Roots ROOTS = new Roots();
    private static final LongAdder SPAWNED = new LongAdder();
    private static final LongAdder FINISHED = new LongAdder();
    private static final LongAdder MESSAGES_SENT = new LongAdder();
    private static final LongAdder DEAD_LETTERS = new LongAdder();

    private static final Comparator<Tasklet<?>> SPAWN_ORDER = Comparator.comparingLong(Tasklet::id);

    private TaskletTree() {
    }

    /** Links a new tasklet under its parent, or among the roots. */
    static void attach(Tasklet<?> tasklet, @Nullable Tasklet<?> parent) {
        SPAWNED.increment();
        if (parent == null) {
            ROOTS.add(tasklet);
        } else {
            parent.childrenSet().add(tasklet);
        }
    }

    /** Unlinks a finishing tasklet: its live children become roots, and it leaves its parent or the roots. */
    static void detach(Tasklet<?> tasklet) {
        Set<Tasklet<?>> children = tasklet.childrenOrNull();
        if (children != null) {
            for (Tasklet<?> child : children) {
                if (child.casParent(tasklet, null)) {
                    ROOTS.add(child);
                    if (child.isFinishing()) {
                        ROOTS.remove(child);
                    }
                }
            }
            children.clear();
        }
        Tasklet<?> parent = tasklet.parentOrNull();
        if (parent != null && tasklet.casParent(parent, null)) {
            parent.childrenSet().remove(tasklet);
        } else {
            ROOTS.remove(tasklet);
        }
    }

    static void finished() {
        FINISHED.increment();
    }

    static void messageSent() {
        MESSAGES_SENT.increment();
    }

    static void deadLetter() {
        DEAD_LETTERS.increment();
    }

    static Set<Tasklet<?>> roots() {
        return ROOTS.snapshot();
    }

    static Tasklet.Stats stats() {
        long finished = FINISHED.sum();
        long spawned = SPAWNED.sum();
        return new Tasklet.Stats(spawned, Math.max(0, spawned - finished), MESSAGES_SENT.sum(), DEAD_LETTERS.sum());
    }

    /**
     * Kills {@code tasklet} and its live descendants. The subtree is collected first: a killed tasklet may
     * finish at once and hand its children to the roots, where a walk after the kill would miss them.
     */
    static void killTree(Tasklet<?> tasklet) {
        List<Tasklet<?>> subtree = new ArrayList<>();
        collect(tasklet, subtree);
        subtree.forEach(Tasklet::kill);
    }

    private static void collect(Tasklet<?> tasklet, List<Tasklet<?>> into) {
        into.add(tasklet);
        for (Tasklet<?> child : tasklet.children()) {
            collect(child, into);
        }
    }

    static String render(Tasklet<?> tasklet) {
        StringBuilder out = new StringBuilder();
        render(tasklet, 0, out);
        return out.toString();
    }

    private static void render(Tasklet<?> tasklet, int level, StringBuilder out) {
        if (!out.isEmpty()) {
            out.append('\n');
        }
        out.append("  ".repeat(level)).append(tasklet.name()).append(" [").append(state(tasklet)).append(']');
        List<Tasklet<?>> children = new ArrayList<>(tasklet.children());
        children.sort(SPAWN_ORDER);
        for (Tasklet<?> child : children) {
            render(child, level + 1, out);
        }
    }

    /**
     * The roots, in stripes chosen by the tasklet's id. Each stripe is an array of its roots packed at the
     * front; a member's index is its {@code rootSlot} (-1 when not a member). Both are read and written only
     * under the stripe's lock, which is held for a few field updates (never while blocking).
     */
    private static final class Roots {

        private static final int STRIPE_BITS = 6;
        private static final int INITIAL_CAPACITY = 16;

        private final Stripe[] stripes = new Stripe[1 << STRIPE_BITS];

        Roots() {
            for (int i = 0; i < stripes.length; i++) {
                stripes[i] = new Stripe();
            }
        }

        private static final class Stripe {
            final ReentrantLock lock = new ReentrantLock();
            Tasklet<?>[] members = new Tasklet<?>[INITIAL_CAPACITY];
            int size;
        }

        private Stripe stripeOf(Tasklet<?> tasklet) {
            // ids are sequential: spread them (Fibonacci hashing) so that neighbours take different locks
            return stripes[(int) ((tasklet.id() * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - STRIPE_BITS))];
        }

        /** Adds {@code tasklet} unless it is a member already. */
        void add(Tasklet<?> tasklet) {
            Stripe stripe = stripeOf(tasklet);
            stripe.lock.lock();
            try {
                if (tasklet.rootSlot() >= 0) {
                    return;
                }
                if (stripe.size == stripe.members.length) {
                    stripe.members = Arrays.copyOf(stripe.members, stripe.size * 2);
                }
                stripe.members[stripe.size] = tasklet;
                tasklet.rootSlot(stripe.size);
                stripe.size++;
            } finally {
                stripe.lock.unlock();
            }
        }

        /** Removes {@code tasklet} if it is a member: the last member takes its slot. */
        void remove(Tasklet<?> tasklet) {
            Stripe stripe = stripeOf(tasklet);
            stripe.lock.lock();
            try {
                int slot = tasklet.rootSlot();
                if (slot < 0) {
                    return;
                }
                int last = --stripe.size;
                Tasklet<?> moved = stripe.members[last];
                stripe.members[slot] = moved;
                moved.rootSlot(slot);
                stripe.members[last] = null;
                tasklet.rootSlot(-1);
                int capacity = stripe.members.length;
                if (capacity > INITIAL_CAPACITY && stripe.size <= capacity / 4) {
                    stripe.members = Arrays.copyOf(stripe.members, capacity / 2);
                }
            } finally {
                stripe.lock.unlock();
            }
        }

        Set<Tasklet<?>> snapshot() {
            List<Tasklet<?>> all = new ArrayList<>();
            for (Stripe stripe : stripes) {
                stripe.lock.lock();
                try {
                    all.addAll(Arrays.asList(stripe.members).subList(0, stripe.size));
                } finally {
                    stripe.lock.unlock();
                }
            }
            return Set.copyOf(all);
        }
    }

    /** {@code running}, {@code waiting on <what>}, {@code waiting}, {@code killed} or {@code done}. */
    static String state(Tasklet<?> tasklet) {
        if (tasklet.isDone()) {
            return "done";
        }
        Object blocker = LockSupport.getBlocker(tasklet.thread());
        String killed = tasklet.isKilled() ? "killed, " : "";
        if (blocker != null) {
            return killed + "waiting on " + blocker;
        }
        return switch (tasklet.thread().getState()) {
            case WAITING, TIMED_WAITING, BLOCKED -> killed + "waiting";
            default -> killed + "running";
        };
    }
}
