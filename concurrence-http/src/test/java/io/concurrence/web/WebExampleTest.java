package io.concurrence.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.concurrence.web.WebTestSupport.BodyWrappingFilter;
import io.concurrence.web.WebTestSupport.Reply;
import io.concurrence.web.WebTestSupport.TestServer;

/**
 * The seed's {@code web.py} example, ported: a controller whose class-level {@code PageFilter} wraps every
 * answer in a page titled "Example Page" with background {@code #a0f0f0}; {@code /greeting} and
 * {@code /welcome} answer "Hello World", {@code /farewell} "Goodbye", {@code /sum} adds two query
 * parameters, and {@code /wrapper} shows that the filter written higher wraps further out, inside the
 * controller's filter. Content type {@code text/html; charset=UTF-8}.
 */
@Timeout(60)
class WebExampleTest {

    private static final String PAGE_START = "<html><head><title>Example Page</title></head>"
            + "<body style=\"background-color: #a0f0f0\">";
    private static final String PAGE_END = "</body></html>";

    private static TestServer server;

    /** The seed's PageFilter. */
    static final class PageFilter extends BodyWrappingFilter {
        @Override
        String wrap(String body) {
            return PAGE_START + body + PAGE_END;
        }
    }

    /** The seed's {@code WrapperFilter('h1')}. */
    static final class H1Filter extends BodyWrappingFilter {
        @Override
        String wrap(String body) {
            return "<h1>" + body + "</h1>";
        }
    }

    /** The seed's {@code WrapperFilter('strong')}. */
    static final class StrongFilter extends BodyWrappingFilter {
        @Override
        String wrap(String body) {
            return "<strong>" + body + "</strong>";
        }
    }

    /** The seed's {@code ExampleController}. */
    @Filtered(PageFilter.class)
    public static final class ExampleController {

        @Get({"/greeting", "/welcome"})
        public String hello() {
            return "Hello World";
        }

        @Get("/farewell")
        public String goodbye() {
            return "Goodbye";
        }

        @Get("/sum")
        public String sum(@QueryParam("msg") String msg, @QueryParam("a") int a, @QueryParam("b") int b) {
            return msg + " " + (a + b);
        }

        @Get("/wrapper")
        @Filtered(H1Filter.class)
        @Filtered(StrongFilter.class)
        public String wrapper() {
            return "Testing 132";
        }
    }

    @BeforeAll
    static void startServer() {
        server = TestServer.start(Router.create().controller(new ExampleController()));
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static void assertPage(Reply reply, String content) {
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).hasValue("text/html; charset=UTF-8");
        assertThat(reply.text()).isEqualTo(PAGE_START + content + PAGE_END);
    }

    @Test
    void greetingAndWelcomeSayHelloWorldInThePage() {
        assertPage(server.get("/greeting"), "Hello World");
        assertPage(server.get("/welcome"), "Hello World");
    }

    @Test
    void farewellSaysGoodbyeInThePage() {
        assertPage(server.get("/farewell"), "Goodbye");
    }

    @Test
    void sumAddsTheQueryParameters() {
        assertPage(server.get("/sum?msg=Total&a=1&b=2"), "Total 3");
    }

    @Test
    void wrapperNestsTheHigherFilterOutsideAndTheControllerFilterOutermost() {
        assertPage(server.get("/wrapper"), "<h1><strong>Testing 132</strong></h1>");
    }

    @Test
    void missingSumParameterIs400NamingItWhereTheSeedAnswered500() {
        Reply reply = server.get("/sum?msg=Total&a=1");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.text()).contains("'b'");
    }

    @Test
    void pageFilterDoesNotWrapPathsTheControllerDoesNotRoute() {
        Reply reply = server.get("/elsewhere");

        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.text()).isEqualTo("Not Found");
    }
}
