package io.concurrence.examples.spring;

import java.time.Duration;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import io.concurrence.examples.spring.Pricing.Price;
import io.concurrence.examples.spring.Pricing.Quote;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpStatusException;
import io.concurrence.remote.RemoteClient;
import io.concurrence.remote.RemoteException;
import io.concurrence.remote.RemoteTasklet;
import io.concurrence.web.Body;
import io.concurrence.web.Filtered;
import io.concurrence.web.Get;
import io.concurrence.web.JsonFilter;
import io.concurrence.web.PathParam;
import io.concurrence.web.Post;

/**
 * The REST-ish side: a controller bean, which the starter routes on its HTTP server (every request in a tasklet of
 * its own). {@link JsonFilter} makes every answer JSON, errors included ({@code {"status": 400, "error": "..."}}).
 *
 * <ul>
 *   <li>{@code GET /items}: every item, from {@link ItemService#list()} (JdbcTemplate).
 *   <li>{@code POST /items} with {@code {"name": "Mug", "priceCents": 850}}: adds it in a transaction and answers
 *       it with its id, status 201; a bad item is rolled back and answered 400 saying what is wrong.
 *   <li>{@code GET /items/{id}/price}: the item's price with VAT, quoted by the {@value Pricing#NAME} endpoint
 *       through the {@code pricingRemoteClient} bean (a remote call, here to the application's own server).
 * </ul>
 *
 * <p>Not {@code @Transactional} itself: the starter calls controllers on the bean, which must not be a proxy.
 */
@Component
@Filtered(JsonFilter.class)
public class ItemController {

    /** How long the remote pricing call may take. */
    static final Duration PRICING_TIMEOUT = Duration.ofSeconds(5);

    private final ItemService items;
    private final RemoteClient pricingClient;

    /** The pricing endpoint, looked up on first use (a round trip); volatile, requests run concurrently. */
    private volatile @Nullable RemoteTasklet pricing;

    /**
     * Creates the controller.
     *
     * @param items the items
     * @param pricingClient the client of {@code concurrence.remote.clients.pricing}
     */
    public ItemController(ItemService items, @Qualifier("pricingRemoteClient") RemoteClient pricingClient) {
        this.items = items;
        this.pricingClient = pricingClient;
    }

    /**
     * {@code GET /items}.
     *
     * @return every item, as a JSON array
     */
    @Get("/items")
    public List<Item> list() {
        return items.list();
    }

    /**
     * {@code POST /items}: adds an item.
     *
     * @param item the JSON body
     * @param response the response, for its status
     * @return the stored item, with its id, status 201
     */
    @Post("/items")
    public Item add(@Body NewItem item, HttpResponse response) {
        Item stored;
        try {
            stored = items.add(item);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(400, e.getMessage(), e);
        }
        response.status(201);
        return stored;
    }

    /**
     * {@code GET /items/{id}/price}: the price, quoted remotely.
     *
     * @param id the item's id
     * @return the item and its price, as JSON
     */
    @Get("/items/{id}/price")
    public ItemPrice price(@PathParam("id") long id) {
        Item item = items.find(id).orElseThrow(() -> new HttpStatusException(404, "no item " + id));
        Price price;
        try {
            price = pricing().call(new Quote(item.id(), item.priceCents()), PRICING_TIMEOUT);
        } catch (RemoteException e) {
            pricing = null;
            throw new HttpStatusException(502, "the pricing service failed: " + e.getMessage(), e);
        }
        return new ItemPrice(item.id(), item.name(), price.netCents(), price.vatCents(), price.grossCents(),
                price.quote());
    }

    private RemoteTasklet pricing() {
        RemoteTasklet tasklet = pricing;
        if (tasklet == null) {
            tasklet = pricingClient.lookup(Pricing.NAME);
            pricing = tasklet;
        }
        return tasklet;
    }

    /**
     * The answer of {@code GET /items/{id}/price}.
     *
     * @param id the item's id
     * @param name its name
     * @param netCents its net price in cents
     * @param vatCents the VAT in cents
     * @param grossCents net plus VAT
     * @param quote the pricing endpoint's quote number
     */
    public record ItemPrice(long id, String name, long netCents, long vatCents, long grossCents, long quote) {
    }
}
