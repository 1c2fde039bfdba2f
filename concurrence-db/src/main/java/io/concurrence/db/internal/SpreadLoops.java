package io.concurrence.db.internal;

import java.util.ArrayList;
import java.util.List;

import reactor.netty.resources.LoopResources;

/**
 * The database's event loops, shared by every pool in the JVM: {@code count} single-threaded Reactor Netty loop
 * resources ({@code concurrence-db-N-...} daemon threads). A pool opens its connections through one R2DBC MySQL
 * connection factory per loop, in turn, so its connections are spread over all the loops.
 *
 * <p>Why not one loop group of {@code count} threads: R2DBC MySQL connects through Reactor Netty's
 * {@code TcpClient}, which placed every connection on the same loop of the group, whatever thread opened it
 * (measured: 64 connections of a pool, one loop thread busy, the other idle, with or without colocation).
 * With a group of one thread each, the choice is ours.
 */
final class SpreadLoops {

    private final List<LoopResources> loops = new ArrayList<>();

    SpreadLoops(int count) {
        for (int i = 1; i <= count; i++) {
            loops.add(LoopResources.create("concurrence-db-" + i, 1, 1, true, false));
        }
    }

    /** The loops, one connection factory's worth each. */
    List<LoopResources> loops() {
        return loops;
    }
}
