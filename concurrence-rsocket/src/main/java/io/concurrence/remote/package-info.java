/**
 * Message passing between tasklets in different processes, over RSocket.
 *
 * <p>Messages are records or enums (and sealed interfaces of them) carried by a codec that accepts only the types
 * allowed on both sides, never Java native serialization. A remote operation that fails (a refused type, a
 * lost connection, an error reported by the peer) throws {@link io.concurrence.remote.RemoteException}.
 */
@NullMarked
package io.concurrence.remote;

import org.jspecify.annotations.NullMarked;
