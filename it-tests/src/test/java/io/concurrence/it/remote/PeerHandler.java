package io.concurrence.it.remote;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

import io.concurrence.Envelope;

/** The {@link RemotePeer}'s tasklet body. Its fields are written and read by the receiver tasklet only. */
final class PeerHandler {

    /** Where the ids of {@link PeerMsg.Note}s go, 8 bytes each, one write each; null: nowhere. */
    private final FileChannel deliveries;
    private final ByteBuffer id = ByteBuffer.allocate(Long.BYTES);

    PeerHandler(FileChannel deliveries) {
        this.deliveries = deliveries;
    }

    private long total;
    private int received;
    private int firstOutOfOrder = -1;

    void handle(Envelope envelope) {
        if (!(envelope.message() instanceof PeerMsg message)) {
            envelope.fail(new IllegalArgumentException("unexpected " + envelope.message()));
            return;
        }
        switch (message) {
            case PeerMsg.Echo echo -> envelope.reply(echo.text());
            case PeerMsg.Add add -> total += add.n();
            case PeerMsg.Total t -> envelope.reply(total);
            case PeerMsg.Hang hang -> RemotePeer.say("HANG"); // never answered
            case PeerMsg.Seq seq -> {
                if (seq.index() != received && firstOutOfOrder < 0) {
                    firstOutOfOrder = received;
                }
                received++;
            }
            case PeerMsg.Whoami whoami -> envelope.reply(ProcessHandle.current().pid());
            case PeerMsg.Check check -> envelope.reply(new PeerMsg.SeqReport(received, firstOutOfOrder));
            case PeerMsg.Note note -> log(note.id());
        }
    }

    /** Appends {@code value} to the deliveries log: a write to the file, which outlives a SIGKILL of this JVM. */
    private void log(long value) {
        if (deliveries == null) {
            return;
        }
        id.clear();
        id.putLong(value).flip();
        try {
            while (id.hasRemaining()) {
                deliveries.write(id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
