package io.concurrence.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

import io.concurrence.Envelope;
import io.concurrence.Tasklet;
import io.concurrence.remote.RemoteServer;

/**
 * Runs every {@link RemoteEndpoint} bean as a {@code Tasklet.receiver} registered on the server under the
 * annotation's name, once every singleton is created (so endpoints may depend on any bean, clients included); on
 * shutdown, before the server closes, unregisters and kills them.
 */
final class RemoteEndpointRegistrar implements SmartInitializingSingleton, DisposableBean {

    private final RemoteServer server;
    private final ConfigurableListableBeanFactory beanFactory;
    /** Written once in {@link #afterSingletonsInstantiated()}, read in {@link #destroy()}: Spring's own thread. */
    private final Map<String, Tasklet<Void>> tasklets = new LinkedHashMap<>();

    RemoteEndpointRegistrar(RemoteServer server, ConfigurableListableBeanFactory beanFactory) {
        this.server = server;
        this.beanFactory = beanFactory;
    }

    @Override
    public void afterSingletonsInstantiated() {
        Map<String, String> beansByEndpoint = new LinkedHashMap<>();
        for (String beanName : beanFactory.getBeanNamesForAnnotation(RemoteEndpoint.class)) {
            RemoteEndpoint annotation = beanFactory.findAnnotationOnBean(beanName, RemoteEndpoint.class);
            if (annotation == null) {
                continue;
            }
            String endpoint = annotation.value();
            if (endpoint.isBlank()) {
                throw new IllegalStateException("bean '" + beanName + "' is annotated @RemoteEndpoint with an empty"
                        + " name: give the name clients look it up by, @RemoteEndpoint(\"counter\")");
            }
            String other = beansByEndpoint.putIfAbsent(endpoint, beanName);
            if (other != null) {
                throw new IllegalStateException("beans '" + other + "' and '" + beanName + "' are both annotated"
                        + " @RemoteEndpoint(\"" + endpoint + "\"): give each its own name");
            }
            Consumer<Envelope> handler = handler(beanName, endpoint, beanFactory.getBean(beanName));
            Tasklet<Void> tasklet = Tasklet.named("remote-endpoint-" + endpoint).receiver(handler);
            tasklets.put(endpoint, tasklet);
            server.register(endpoint, tasklet);
        }
    }

    @SuppressWarnings("unchecked")
    private static Consumer<Envelope> handler(String beanName, String endpoint, Object bean) {
        if (bean instanceof Consumer<?> consumer) {
            Class<?> message = ResolvableType.forClass(ClassUtils.getUserClass(bean)).as(Consumer.class)
                    .getGeneric(0).resolve();
            if (message == null || message.isAssignableFrom(Envelope.class)) {
                return (Consumer<Envelope>) consumer;
            }
        }
        throw new IllegalStateException("bean '" + beanName + "' (" + ClassUtils.getUserClass(bean).getName()
                + ") is annotated @RemoteEndpoint(\"" + endpoint + "\") but is not a Consumer<Envelope>: implement"
                + " Consumer<Envelope>, whose accept(Envelope) handles each message");
    }

    /** The endpoints' names and their tasklets, in registration order. */
    Map<String, Tasklet<Void>> tasklets() {
        return Map.copyOf(tasklets);
    }

    @Override
    public void destroy() {
        List<Tasklet<Void>> running = new ArrayList<>(tasklets.values());
        for (String endpoint : tasklets.keySet()) {
            server.unregister(endpoint);
        }
        running.forEach(Tasklet::kill);
        tasklets.clear();
    }
}
