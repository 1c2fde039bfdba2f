package io.concurrence.docs;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.concurrence.memcache.MemcacheClient;
import io.concurrence.memcache.MemcacheCodec;

/** The snippets of docs/memcache.md; they need memcached at 127.0.0.1:11211 and :11212. */
final class MemcacheSnippets {

    private MemcacheSnippets() {
    }

    @Snippet(memcached = true, output = {"Optional[hello]", "{a=1, c=3}"})
    static void client() {
        // tag::client[]
        try (MemcacheClient<String> cache = MemcacheClient.builder()
                .server("127.0.0.1:11211")            // e.g. 10.0.0.1:11211
                .server("127.0.0.1:11212", 2)          // weight 2: about twice the keys
                .codec(MemcacheCodec.utf8())
                .build()) {
            cache.set("greeting", "hello", Duration.ofMinutes(5));
            Optional<String> hit = cache.get("greeting");
            cache.set("a", "1", Duration.ofMinutes(5));
            cache.delete("b");
            cache.set("c", "3", Duration.ofMinutes(5));
            Map<String, String> many = cache.getMulti(List.of("a", "b", "c"));   // the hits only
            System.out.println(hit);                                             // Optional[hello]
            System.out.println(new TreeMap<>(many));                  // {a=1, c=3}
        }
        // end::client[]
    }
}
