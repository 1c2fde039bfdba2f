package io.concurrence.examples.spring;

/**
 * A row of {@code ex_items}, as {@code GET /items} answers it (JSON).
 *
 * @param id the item's id
 * @param name its name
 * @param priceCents its net price in cents
 */
public record Item(long id, String name, long priceCents) {
}
