package io.concurrence.docs;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpStatusException;
import io.concurrence.web.Body;
import io.concurrence.web.Filter;
import io.concurrence.web.Filtered;
import io.concurrence.web.Get;
import io.concurrence.web.PathParam;
import io.concurrence.web.Post;
import io.concurrence.web.QueryParam;

// The controller of docs/web.md (public, as the router calls its public methods; WebSnippets drives it).
// tag::controller[]
@Filtered(ExampleController.PageFilter.class)                     // controller filter: outermost
public final class ExampleController {
    // end::controller[]

    /** A user, mapped from and to JSON. */
    public record User(long id, String name) {
    }

    /** Wraps what the chain answers in a page, as the seed's web.py did. */
    public static final class PageFilter implements Filter {
        @Override
        public void handle(HttpRequest request, HttpResponse response, HttpHandler next) throws Exception {
            response.header("X-Page", "example");
            next.handle(request, response);
        }
    }

    private static final class Users {
        private final Map<Long, User> byId = new ConcurrentHashMap<>();

        User find(long id) {
            User user = byId.get(id);
            if (user == null) {
                throw new HttpStatusException(404, "No such user: " + id);
            }
            return user;
        }

        void add(User user) {
            byId.put(user.id(), user);
        }
    }

    private final Users users = new Users();

    // tag::controller[]
    @Get({"/greeting", "/welcome"})
    public String greeting() {
        return "Hello World";
    }

    @Get("/sum")
    public String sum(@QueryParam("msg") String msg, @QueryParam("a") int a, @QueryParam("b") int b) {
        return msg + " " + (a + b);
    }

    @Get("/users/{id}")
    public User user(@PathParam("id") long id) {
        return users.find(id);   // → JSON
    }

    @Post("/users")
    public void create(@Body User user, HttpResponse response) {
        users.add(user);
        response.status(201).send("");
    }
}
// end::controller[]
