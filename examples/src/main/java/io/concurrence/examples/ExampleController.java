package io.concurrence.examples;

import io.concurrence.web.Filtered;
import io.concurrence.web.Get;
import io.concurrence.web.QueryParam;

/**
 * The seed's {@code ExampleController} ({@code web.py}): a plain object whose annotated methods answer
 * requests with the string they return, sent as {@code text/html; charset=UTF-8}. The class's filter,
 * {@link PageFilter}, puts every answer in an HTML page; {@code /wrapper} adds two filters of its own.
 *
 * <p>Filter order, as in the seed: the controller's filters run outermost, then the method's, and among
 * the method's the annotation written higher runs further out. So {@code /wrapper} answers
 * {@code <h1><strong>Testing 132</strong></h1>}, inside the page.
 */
@Filtered(ExampleController.PageFilter.class)
public final class ExampleController {

    /**
     * {@code /greeting} and {@code /welcome}: one action on two paths, as in the seed.
     *
     * @return the greeting
     */
    @Get({"/greeting", "/welcome"})
    public String greeting() {
        return "Hello World";
    }

    /**
     * {@code /farewell}.
     *
     * @return the farewell
     */
    @Get("/farewell")
    public String farewell() {
        return "Goodbye";
    }

    /**
     * {@code /sum?msg=Total&a=1&b=2}: the message and the sum, {@code Total 3}. A missing or non-integer
     * parameter is answered 400, naming it.
     *
     * @param msg the message (HTML-escaped in the answer)
     * @param a the first term
     * @param b the second term
     * @return the message and the sum
     */
    @Get("/sum")
    public String sum(@QueryParam("msg") String msg, @QueryParam("a") int a, @QueryParam("b") int b) {
        return escape(msg) + " " + (a + b);
    }

    /**
     * {@code /wrapper}: text in two filters, {@link Heading} (written first: outer) and {@link Strong}.
     *
     * @return the text the filters wrap
     */
    @Get("/wrapper")
    @Filtered(Heading.class)
    @Filtered(Strong.class)
    public String wrapper() {
        return "Testing 132";
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Puts the answer in a page titled {@code Example Page} with a light cyan background. */
    static final class PageFilter extends WrappingFilter {
        @Override
        String wrap(String html) {
            return "<html><head><title>Example Page</title></head>"
                    + "<body style=\"background-color: #a0f0f0\">" + html + "</body></html>";
        }
    }

    /** Wraps the answer in {@code <h1>}. */
    static final class Heading extends WrappingFilter {
        @Override
        String wrap(String html) {
            return "<h1>" + html + "</h1>";
        }
    }

    /** Wraps the answer in {@code <strong>}. */
    static final class Strong extends WrappingFilter {
        @Override
        String wrap(String html) {
            return "<strong>" + html + "</strong>";
        }
    }
}
