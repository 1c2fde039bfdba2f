package io.concurrence.examples.spring;

import java.sql.PreparedStatement;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * The items, in the table {@value #TABLE}, through {@link JdbcTemplate} on the starter's {@code DataSource}
 * (a {@code ConcurrenceDataSource}): every query blocks only the tasklet of the request that makes it.
 *
 * <p>At start the table is dropped and created afresh with {@link #SEED} in it. {@link #add} runs in a transaction
 * (Spring's {@code @Transactional}, on the Concurrence connection): it inserts the row first and checks the price
 * afterwards, so a bad price shows the rollback — the row was in the table inside the transaction, and is gone.
 */
@Service
public class ItemService {

    /** The sample's table. */
    public static final String TABLE = "ex_items";

    /** The highest price accepted, in cents. */
    public static final long MAX_PRICE_CENTS = 1_000_000;

    /** The rows the table starts with: ids 1, 2, 3. */
    static final List<NewItem> SEED = List.of(
            new NewItem("Teapot", 2495L), new NewItem("Mug", 850L), new NewItem("Kettle", 3999L));

    private static final RowMapper<Item> ITEM =
            (rs, row) -> new Item(rs.getLong("id"), rs.getString("name"), rs.getLong("price_cents"));

    private final JdbcTemplate jdbc;

    /**
     * Creates the service and the table, with {@link #SEED} in it.
     *
     * @param jdbc the application's {@code JdbcTemplate}
     */
    public ItemService(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("DROP TABLE IF EXISTS " + TABLE);
        jdbc.execute("CREATE TABLE " + TABLE + " (id BIGINT AUTO_INCREMENT PRIMARY KEY,"
                + " name VARCHAR(100) NOT NULL UNIQUE, price_cents BIGINT NOT NULL) ENGINE=InnoDB");
        for (NewItem item : SEED) {
            jdbc.update("INSERT INTO " + TABLE + " (name, price_cents) VALUES (?, ?)", item.name(), item.priceCents());
        }
    }

    /**
     * Every item, by id.
     *
     * @return the items
     */
    public List<Item> list() {
        return jdbc.query("SELECT id, name, price_cents FROM " + TABLE + " ORDER BY id", ITEM);
    }

    /**
     * The item with this id.
     *
     * @param id the id
     * @return the item, or empty
     */
    public Optional<Item> find(long id) {
        return jdbc.query("SELECT id, name, price_cents FROM " + TABLE + " WHERE id = ?", ITEM, id)
                .stream().findFirst();
    }

    /**
     * Adds an item in one transaction: inserts it, then checks its price; a missing name, a name in use or a price
     * out of range throws and the transaction rolls back.
     *
     * @param item the new item
     * @return the item as stored, with its id
     * @throws IllegalArgumentException saying what is wrong; nothing is stored
     */
    @Transactional
    public Item add(NewItem item) {
        String name = item.name() == null ? "" : item.name().strip();
        if (name.isEmpty()) {
            throw new IllegalArgumentException("name is missing");
        }
        long price = item.priceCents() == null ? -1 : item.priceCents();
        KeyHolder key = new GeneratedKeyHolder();
        try {
            jdbc.update(connection -> {
                PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO " + TABLE + " (name, price_cents) VALUES (?, ?)", new String[] {"id"});
                insert.setString(1, name);
                insert.setLong(2, price);
                return insert;
            }, key);
        } catch (DuplicateKeyException e) {
            throw new IllegalArgumentException("an item named '" + name + "' exists already", e);
        }
        // Checked after the insert on purpose: the exception rolls the insert back (see the class comment).
        if (price < 1 || price > MAX_PRICE_CENTS) {
            throw new IllegalArgumentException("priceCents must be 1.." + MAX_PRICE_CENTS + ", was "
                    + (item.priceCents() == null ? "missing" : item.priceCents()));
        }
        Number id = Objects.requireNonNull(key.getKey(), "the server returned no generated id");
        return new Item(id.longValue(), name, price);
    }
}
