package io.concurrence.memcache;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Single-key gets queued together on one connection, sent as one multi-key {@code get}: its response is split
 * back by key, each get receiving the items of its key (none on a miss). A failure, or a response that is not
 * values, goes to every one of them. Event loop only, as {@link Pending}.
 */
final class MergedGets extends Pending {

    private final List<Pending> gets;

    MergedGets(List<Pending> gets) {
        super(Response.Expect.VALUES, "get of " + gets.size() + " keys merged");
        this.gets = List.copyOf(gets);
    }

    /** The command line: {@code get k1 k2 …}, each key once. */
    String commandLine() {
        Set<String> keys = new LinkedHashSet<>();
        for (Pending get : gets) {
            keys.add(get.mergeKey);
        }
        return "get " + String.join(" ", keys) + "\r\n";
    }

    @Override
    void complete(Response response) {
        super.complete(response);
        if (!(response instanceof Response.Values values)) {
            gets.forEach(get -> get.complete(response));
            return;
        }
        for (Pending get : gets) {
            List<Response.Item> items = new ArrayList<>(1);
            for (Response.Item item : values.items()) {
                if (item.key().equals(get.mergeKey)) {
                    items.add(item);
                }
            }
            get.complete(new Response.Values(items));
        }
    }

    @Override
    void fail(Throwable error) {
        super.fail(error);
        gets.forEach(get -> get.fail(error));
    }
}
