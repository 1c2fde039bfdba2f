package io.concurrence.it.remote;

import io.concurrence.Envelope;

/** The {@link RemotePeer}'s tasklet body. Its fields are written and read by the receiver tasklet only. */
final class PeerHandler {

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
        }
    }
}
