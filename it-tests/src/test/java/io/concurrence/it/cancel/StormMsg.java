package io.concurrence.it.cancel;

import io.concurrence.Call;
import io.concurrence.Message;

/** The remote protocol of {@link CancellationStormTest}: the only types its server and client allow. */
sealed interface StormMsg extends Message permits StormMsg.Wait {

    /**
     * Answered with {@code tag} after {@code millis}, or never if {@code millis} is negative.
     *
     * @param tag the victim's number, which the answer must carry back
     * @param millis how long the receiver waits before answering; negative: it never answers
     */
    record Wait(int tag, long millis) implements StormMsg, Call<Integer> {
    }
}
