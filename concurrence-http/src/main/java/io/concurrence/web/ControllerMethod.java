package io.concurrence.web;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import io.concurrence.http.HttpHandler;
import io.concurrence.http.HttpRequest;
import io.concurrence.http.HttpResponse;
import io.concurrence.http.HttpStatusException;

/**
 * Turns the annotated methods of a controller into routes: binds each parameter (request, response, path,
 * query, body), sends the return value, and wraps the method in its filters. Bindings are worked out once,
 * at registration, so that a controller that cannot be bound fails then, naming the method.
 */
final class ControllerMethod {

    /**
     * One route of a controller.
     *
     * @param method the HTTP method
     * @param pattern the path pattern
     * @param handler the bound method, wrapped in its filters
     */
    record Binding(String method, PathPattern pattern, HttpHandler handler) {
    }

    /** Produces one argument of the method from the request. */
    @FunctionalInterface
    private interface Argument {
        Object get(HttpRequest request, HttpResponse response);
    }

    private ControllerMethod() {
    }

    static List<Binding> scan(Object controller, List<Filter> outerFilters) {
        Class<?> type = controller.getClass();
        rejectNonPublicRoutes(type);
        List<Filter> controllerFilters = new ArrayList<>(outerFilters);
        controllerFilters.addAll(instantiate(type.getAnnotationsByType(Filtered.class), type.getName()));
        List<Method> methods = new ArrayList<>(Arrays.asList(type.getMethods()));
        methods.sort(Comparator.comparing(Method::getName));
        List<Binding> bindings = new ArrayList<>();
        for (Method method : methods) {
            List<String[]> routes = routesOf(method);
            if (routes.isEmpty()) {
                continue;
            }
            if (Modifier.isStatic(method.getModifiers())) {
                throw new IllegalArgumentException(describe(method) + " is static; route instance methods");
            }
            List<PathPattern> patterns = new ArrayList<>(routes.size());
            for (String[] route : routes) {
                patterns.add(parse(route[1], method));
            }
            List<Filter> filters = new ArrayList<>(controllerFilters);
            filters.addAll(instantiate(method.getAnnotationsByType(Filtered.class), describe(method)));
            HttpHandler handler = wrap(bind(controller, method, patterns), filters);
            for (int i = 0; i < routes.size(); i++) {
                bindings.add(new Binding(routes.get(i)[0], patterns.get(i), handler));
            }
        }
        return bindings;
    }

    /** An annotated method that is not public would silently not be routed: refuse it. */
    private static void rejectNonPublicRoutes(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Method method : c.getDeclaredMethods()) {
                if (!Modifier.isPublic(method.getModifiers()) && !routesOf(method).isEmpty()) {
                    throw new IllegalArgumentException(describe(method) + " is annotated as a route but is not"
                            + " public; only public methods are routed");
                }
            }
        }
    }

    private static PathPattern parse(String pattern, Method method) {
        try {
            return PathPattern.parse(pattern);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(describe(method) + ": " + e.getMessage(), e);
        }
    }

    private static List<String[]> routesOf(Method method) {
        List<String[]> routes = new ArrayList<>();
        Get get = method.getAnnotation(Get.class);
        if (get != null) {
            addRoutes(routes, "GET", get.value());
        }
        Post post = method.getAnnotation(Post.class);
        if (post != null) {
            addRoutes(routes, "POST", post.value());
        }
        Put put = method.getAnnotation(Put.class);
        if (put != null) {
            addRoutes(routes, "PUT", put.value());
        }
        Delete delete = method.getAnnotation(Delete.class);
        if (delete != null) {
            addRoutes(routes, "DELETE", delete.value());
        }
        Route route = method.getAnnotation(Route.class);
        if (route != null) {
            addRoutes(routes, route.method(), route.path());
        }
        return routes;
    }

    private static void addRoutes(List<String[]> routes, String httpMethod, String[] patterns) {
        for (String pattern : patterns) {
            routes.add(new String[] {httpMethod, pattern});
        }
    }

    private static List<Filter> instantiate(Filtered[] annotations, String where) {
        List<Filter> filters = new ArrayList<>();
        for (Filtered filtered : annotations) {
            try {
                var constructor = filtered.value().getDeclaredConstructor();
                constructor.setAccessible(true);
                filters.add(constructor.newInstance());
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("@Filtered(" + filtered.value().getName() + ") on " + where
                        + ": the filter needs a no-argument constructor (" + e + ")", e);
            }
        }
        return filters;
    }

    private static HttpHandler wrap(HttpHandler handler, List<Filter> filters) {
        HttpHandler wrapped = handler;
        for (int i = filters.size() - 1; i >= 0; i--) {
            Filter filter = filters.get(i);
            HttpHandler next = wrapped;
            wrapped = (request, response) -> filter.handle(request, response, next);
        }
        return wrapped;
    }

    private static HttpHandler bind(Object controller, Method method, List<PathPattern> patterns) {
        try {
            method.setAccessible(true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(describe(method) + " is not accessible (" + e.getMessage()
                    + "); make the class public, or open its package to io.concurrence.http", e);
        }
        Parameter[] parameters = method.getParameters();
        Argument[] arguments = new Argument[parameters.length];
        for (int i = 0; i < parameters.length; i++) {
            requireBound(parameters[i], method, patterns);
            arguments[i] = argument(parameters[i], method);
        }
        Class<?> returns = method.getReturnType();
        if (returns != void.class && returns != String.class && returns != byte[].class) {
            requireJson(method, "return " + returns.getSimpleName());
        }
        return (request, response) -> {
            Object[] values = new Object[arguments.length];
            for (int i = 0; i < arguments.length; i++) {
                values[i] = arguments[i].get(request, response);
            }
            Object result;
            try {
                result = method.invoke(controller, values);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception exception) {
                    throw exception;
                }
                throw (Error) cause;
            }
            sendResult(returns, result, response);
        };
    }

    private static void sendResult(Class<?> returns, Object result, HttpResponse response) {
        if (returns == void.class || response.isCommitted()) {
            return;
        }
        if (result == null) {
            response.status(response.status() == 200 ? 204 : response.status()).send(new byte[0]);
        } else if (result instanceof String text) {
            if (response.headers().get("Content-Type") == null) {
                response.contentType("text/html; charset=UTF-8");
            }
            response.send(text.getBytes(StandardCharsets.UTF_8));
        } else if (result instanceof byte[] bytes) {
            if (response.headers().get("Content-Type") == null) {
                response.contentType("application/octet-stream");
            }
            response.send(bytes);
        } else {
            response.contentType("application/json").send(Json.write(result));
        }
    }

    private static Argument argument(Parameter parameter, Method method) {
        Class<?> type = parameter.getType();
        PathParam path = parameter.getAnnotation(PathParam.class);
        QueryParam query = parameter.getAnnotation(QueryParam.class);
        Body body = parameter.getAnnotation(Body.class);
        if (path != null) {
            String name = path.value();
            Converter converter = converter(type, method, "path parameter '" + name + "'");
            return (request, response) -> converter.convert(request.pathParams().get(name), "path parameter", name);
        }
        if (query != null) {
            String name = query.value();
            if (type == Optional.class) {
                requireOptionalOfString(parameter, method);
                return (request, response) -> request.query(name);
            }
            Converter converter = converter(type, method, "query parameter '" + name + "'");
            return (request, response) -> converter.convert(request.query(name).orElse(null), "query parameter",
                    name);
        }
        if (body != null) {
            return bodyArgument(parameter, method);
        }
        if (type == HttpRequest.class) {
            return (request, response) -> request;
        }
        if (type == HttpResponse.class) {
            return (request, response) -> response;
        }
        throw new IllegalArgumentException(describe(method) + ": parameter '" + parameter.getName() + "' of type "
                + type.getSimpleName() + " is neither HttpRequest, HttpResponse, nor annotated @PathParam,"
                + " @QueryParam or @Body");
    }

    /** A {@link PathParam} that a route's pattern does not bind is a mistake in the controller, not the client's. */
    private static void requireBound(Parameter parameter, Method method, List<PathPattern> patterns) {
        PathParam path = parameter.getAnnotation(PathParam.class);
        if (path == null) {
            return;
        }
        for (PathPattern pattern : patterns) {
            if (!pattern.parameterNames().contains(path.value())) {
                throw new IllegalArgumentException(describe(method) + ": @PathParam(\"" + path.value() + "\") is not a"
                        + " parameter of its route " + pattern + ", which binds " + pattern.parameterNames());
            }
        }
    }

    private static Argument bodyArgument(Parameter parameter, Method method) {
        Class<?> type = parameter.getType();
        if (type == String.class) {
            return (request, response) -> request.bodyText();
        }
        if (type == byte[].class) {
            return (request, response) -> request.bodyBytes();
        }
        requireJson(method, "@Body " + type.getSimpleName());
        Type generic = parameter.getParameterizedType();
        return (request, response) -> {
            byte[] bytes = request.bodyBytes();
            try {
                return Json.read(bytes, generic);
            } catch (RuntimeException e) {
                throw new HttpStatusException(400, "The request body is not valid JSON for " + type.getSimpleName()
                        + ": " + Json.describeReadFailure(e), e);
            }
        };
    }

    /** Converts a parameter's text; a missing or malformed value is answered 400, naming it. */
    @FunctionalInterface
    private interface Converter {
        Object convert(String value, String kind, String name);
    }

    private static Converter converter(Class<?> type, Method method, String what) {
        if (type == String.class) {
            return (value, kind, name) -> required(value, kind, name);
        }
        if (type == int.class || type == Integer.class) {
            return (value, kind, name) -> parse(value, kind, name, "an integer", Integer::valueOf);
        }
        if (type == long.class || type == Long.class) {
            return (value, kind, name) -> parse(value, kind, name, "an integer", Long::valueOf);
        }
        if (type == boolean.class || type == Boolean.class) {
            return (value, kind, name) -> parse(value, kind, name, "true or false", v -> {
                if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                    return Boolean.valueOf(v);
                }
                throw new IllegalArgumentException(v);
            });
        }
        if (type == UUID.class) {
            return (value, kind, name) -> parse(value, kind, name, "a UUID", UUID::fromString);
        }
        throw new IllegalArgumentException(describe(method) + ": " + what + " has type " + type.getSimpleName()
                + "; supported: String, int, long, boolean, UUID (and Optional<String> for query parameters)");
    }

    private static String required(String value, String kind, String name) {
        if (value == null) {
            throw new HttpStatusException(400, "Missing " + kind + " '" + name + "'");
        }
        return value;
    }

    private static Object parse(String value, String kind, String name, String expected,
                                java.util.function.Function<String, Object> parser) {
        String text = required(value, kind, name);
        try {
            return parser.apply(text);
        } catch (IllegalArgumentException e) {
            throw new HttpStatusException(400, "The " + kind + " '" + name + "' must be " + expected + ", was '"
                    + text + "'");
        }
    }

    private static void requireOptionalOfString(Parameter parameter, Method method) {
        if (!(parameter.getParameterizedType() instanceof ParameterizedType p)
                || p.getActualTypeArguments()[0] != String.class) {
            throw new IllegalArgumentException(describe(method) + ": an Optional query parameter must be"
                    + " Optional<String>");
        }
    }

    private static void requireJson(Method method, String what) {
        if (!Json.isAvailable()) {
            throw new IllegalArgumentException(describe(method) + ": " + what + " needs JSON, and Jackson"
                    + " (tools.jackson.core:jackson-databind) is not on the class path");
        }
    }

    private static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }
}
