package io.concurrence.spring;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import io.concurrence.http.HttpHandler;
import io.concurrence.web.Delete;
import io.concurrence.web.Filter;
import io.concurrence.web.Get;
import io.concurrence.web.Post;
import io.concurrence.web.Put;
import io.concurrence.web.Route;
import io.concurrence.web.Router;

/**
 * Assembles the server's root {@link Router} from the application's beans:
 * <ol>
 * <li>every {@link Filter} bean, in {@code @Order}, around every request (the first outermost);</li>
 * <li>every controller bean (a bean whose class has a method annotated {@link Get}, {@link Post}, {@link Put},
 * {@link Delete} or {@link Route}), in {@code @Order};</li>
 * <li>every {@link HttpHandler} bean annotated {@link HttpRoute}, on its patterns and methods;</li>
 * <li>then every {@link Router} bean, in {@code @Order}: a request that no route above matches goes to the
 * first, one that none of its routes matches to the next (each Router bean but the last gets the next one as
 * its {@link Router#notFound(HttpHandler) notFound} handler), and so on; the last answers 404.</li>
 * </ol>
 * A route that duplicates another fails the start, naming both.
 */
final class ApplicationRouter {

    private static final List<Class<? extends Annotation>> ROUTE_ANNOTATIONS =
            List.of(Get.class, Post.class, Put.class, Delete.class, Route.class);

    private ApplicationRouter() {
    }

    static Router assemble(ConfigurableListableBeanFactory beans) {
        Router root = Router.create();
        beans.getBeanProvider(Filter.class).orderedStream().forEach(root::filter);
        for (Object controller : ordered(controllers(beans))) {
            root.controller(controller);
        }
        routeHandlers(beans, root);
        List<Router> routers = beans.getBeanProvider(Router.class).orderedStream().toList();
        for (int i = routers.size() - 1; i > 0; i--) {
            routers.get(i - 1).notFound(routers.get(i));
        }
        if (!routers.isEmpty()) {
            root.notFound(routers.getFirst());
        }
        return root;
    }

    private static void routeHandlers(ListableBeanFactory beans, Router root) {
        for (Map.Entry<String, HttpHandler> bean : beans.getBeansOfType(HttpHandler.class).entrySet()) {
            if (bean.getValue() instanceof Router) {
                continue;
            }
            HttpRoute route = beans.findAnnotationOnBean(bean.getKey(), HttpRoute.class);
            if (route == null) {
                continue;
            }
            if (route.value().length == 0 || route.method().length == 0) {
                throw new IllegalStateException("@HttpRoute on bean '" + bean.getKey() + "' names no path or no"
                        + " method; give it at least one of each");
            }
            for (String pattern : route.value()) {
                for (String method : route.method()) {
                    root.route(method, pattern, bean.getValue());
                }
            }
        }
    }

    /** The beans whose class has a route-annotated method, by name; created here if not yet. */
    private static Map<String, Object> controllers(ConfigurableListableBeanFactory beans) {
        Map<String, Object> found = new LinkedHashMap<>();
        for (String name : beans.getBeanDefinitionNames()) {
            if (isInfrastructure(beans, name)) {
                continue;
            }
            Class<?> type = beans.getType(name, false);
            if (type == null || !hasRoutes(ClassUtils.getUserClass(type))) {
                continue;
            }
            Object bean = beans.getBean(name);
            if (ClassUtils.getUserClass(bean) != bean.getClass()) {
                throw new IllegalStateException("Controller bean '" + name + "' is a proxy (" + bean.getClass()
                        .getName() + "); Concurrence routes call the object's own annotated methods, so expose"
                        + " the controller without a class proxy, or register it on a Router bean yourself");
            }
            found.put(name, bean);
        }
        return found;
    }

    private static boolean isInfrastructure(ConfigurableListableBeanFactory beans, String name) {
        BeanDefinition definition = beans.getBeanDefinition(name);
        return definition.isAbstract() || definition.getRole() == BeanDefinition.ROLE_INFRASTRUCTURE;
    }

    private static boolean hasRoutes(Class<?> type) {
        if (type.getName().startsWith("org.springframework.")) {
            return false;
        }
        boolean[] found = {false};
        ReflectionUtils.doWithMethods(type, method -> found[0] = true, ApplicationRouter::isRoute);
        return found[0];
    }

    private static boolean isRoute(Method method) {
        for (Class<? extends Annotation> annotation : ROUTE_ANNOTATIONS) {
            if (method.isAnnotationPresent(annotation)) {
                return true;
            }
        }
        return false;
    }

    private static <T> List<T> ordered(Map<String, T> beans) {
        List<T> list = new ArrayList<>(beans.values());
        AnnotationAwareOrderComparator.sort(list);
        return list;
    }
}
