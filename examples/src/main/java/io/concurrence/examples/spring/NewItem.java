package io.concurrence.examples.spring;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /items}: {@code {"name": "Mug", "priceCents": 850}}. Either field may be missing from
 * the JSON; {@link ItemService#add} says which is wrong.
 *
 * @param name the item's name
 * @param priceCents its net price in cents
 */
public record NewItem(@Nullable String name, @Nullable Long priceCents) {
}
