package io.concurrence.examples.spring;

import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import io.concurrence.Call;
import io.concurrence.Envelope;
import io.concurrence.Message;
import io.concurrence.spring.RemoteEndpoint;

/**
 * The remote endpoint {@value #NAME}: quotes an item's price with VAT. The starter runs it as a tasklet on the
 * application's {@code RemoteServer}; {@link ItemController} calls it through the {@code pricingRemoteClient} bean,
 * over a real connection, as another process would. Its one piece of state, the quote counter, is touched by its
 * own tasklet only (one message at a time), so it needs no lock.
 */
@Component
@RemoteEndpoint(Pricing.NAME)
public class Pricing implements Consumer<Envelope> {

    /** The name the endpoint is registered under. */
    public static final String NAME = "pricing";

    /** The VAT rate, in percent. */
    static final int VAT_PERCENT = 21;

    /** Quotes given so far; read and written by the endpoint's tasklet only. */
    private long quotes;

    /** The pricing protocol; allowed on the server and the client by the application's {@code RemoteMessageTypes}. */
    public sealed interface PricingMsg extends Message permits Quote {
    }

    /**
     * A call: the price of the item with this net price.
     *
     * @param itemId the item
     * @param netCents its net price in cents
     */
    public record Quote(long itemId, long netCents) implements PricingMsg, Call<Price> {
    }

    /**
     * The answer to a {@link Quote}.
     *
     * @param itemId the item
     * @param netCents the net price in cents
     * @param vatCents the VAT in cents, rounded half up
     * @param grossCents net plus VAT
     * @param quote which quote this is, counting from 1 since the start
     */
    public record Price(long itemId, long netCents, long vatCents, long grossCents, long quote) {
    }

    @Override
    public void accept(Envelope envelope) {
        if (envelope.message() instanceof PricingMsg message) {
            switch (message) {
                case Quote(long itemId, long net) -> {
                    long vat = (net * VAT_PERCENT + 50) / 100;
                    envelope.reply(new Price(itemId, net, vat, net + vat, ++quotes));
                }
            }
        }
    }
}
