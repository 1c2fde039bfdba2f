package com.example.consumer;

import io.concurrence.Call;

/** A remote call answered with its number plus one. */
public record Ping(long n) implements Call<Long> {
}
