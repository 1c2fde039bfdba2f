package io.concurrence.remote.internal;

import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * What one peer of a connection said it allows: the ids it gave its allowed types, so that a {@link MessageCodec}
 * writes a small integer instead of a type's name in the frames it sends that peer. Made by
 * {@link MessageCodec#peerTypes(byte[])} from the peer's type table, once per connection; immutable.
 *
 * <p>A type the peer does not allow keeps its name in the frame, so that the peer refuses it naming the type.
 * {@link #UNKNOWN} (a peer whose table is not known) gets names only, as every frame did before tables existed.
 */
public final class PeerTypes {

    /** No id: the type is written by its name. */
    static final int NO_ID = Integer.MIN_VALUE;

    /** A peer whose type table is not known: every type is written by its name. */
    public static final PeerTypes UNKNOWN = new PeerTypes(null, new int[0]);

    private final @Nullable MessageCodec codec;
    private final int[] ids;

    /**
     * @param codec the codec whose type ids index {@code ids}
     * @param ids the peer's id for each of the codec's allowed types, by the codec's id; {@link #NO_ID} where the
     *     peer does not allow the type
     */
    PeerTypes(@Nullable MessageCodec codec, int[] ids) {
        this.codec = codec;
        this.ids = ids;
    }

    /**
     * The id to write for the type this codec knows as {@code ownId}: the peer's id for an allowed type (at least
     * 0), the built-in id itself for a built-in value (below 0), or {@link #NO_ID} where the name must be written.
     */
    int idOf(int ownId) {
        if (codec == null) {
            return NO_ID;
        }
        return ownId < 0 ? ownId : ids[ownId];
    }

    /** Throws unless these are the peer's types as seen by {@code user} (or {@link #UNKNOWN}). */
    void checkFor(MessageCodec user) {
        if (codec != null && codec != user) {
            throw new IllegalArgumentException("these PeerTypes were made by another codec: use the codec that"
                    + " read the peer's type table");
        }
    }

    /** How many of this codec's allowed types the peer allows too, written by id. */
    int known() {
        return (int) Arrays.stream(ids).filter(id -> id != NO_ID).count();
    }

    @Override
    public String toString() {
        return codec == null ? "PeerTypes[unknown: names only]"
                : "PeerTypes[" + known() + " of " + ids.length + " allowed types by id]";
    }
}
