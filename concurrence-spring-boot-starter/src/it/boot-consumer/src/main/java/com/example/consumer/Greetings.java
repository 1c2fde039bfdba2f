package com.example.consumer;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.remote.RemoteClient;
import io.concurrence.web.Get;

/**
 * A controller bean served by the starter's HTTP server: reads a greeting with JdbcTemplate from the starter's
 * data source and asks the remote "pong" endpoint (over the starter's client and server) for a number.
 */
@Component
public class Greetings {

    private final JdbcTemplate jdbc;
    private final RemoteClient self;

    public Greetings(JdbcTemplate jdbc, RemoteClient selfRemoteClient) {
        this.jdbc = jdbc;
        this.self = selfRemoteClient;
    }

    @Get("/greeting")
    public void greeting(HttpRequest request, HttpResponse response) {
        String word = jdbc.queryForObject("SELECT 'hello'", String.class);
        Long next = self.lookup("pong").call(new Ping(41), Duration.ofSeconds(20));
        response.send(word + " " + next);
    }
}
