package io.concurrence.spring;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code concurrence.remote.server.enabled} is true, or, when it is not set, when
 * {@code concurrence.remote.server.port} is set or a bean is annotated {@link RemoteEndpoint}.
 */
final class OnRemoteServerCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment environment = context.getEnvironment();
        String prefix = ConcurrenceRemoteServerProperties.PREFIX;
        Boolean enabled = environment.getProperty(prefix + ".enabled", Boolean.class);
        if (enabled != null) {
            return enabled ? ConditionOutcome.match(prefix + ".enabled is true")
                    : ConditionOutcome.noMatch(prefix + ".enabled is false");
        }
        if (environment.containsProperty(prefix + ".port")) {
            return ConditionOutcome.match(prefix + ".port is set");
        }
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        String[] endpoints = beanFactory == null ? new String[0]
                : beanFactory.getBeanNamesForAnnotation(RemoteEndpoint.class);
        if (endpoints.length > 0) {
            return ConditionOutcome.match("@RemoteEndpoint beans " + String.join(", ", endpoints));
        }
        return ConditionOutcome.noMatch("no @RemoteEndpoint bean, and neither " + prefix + ".enabled nor " + prefix
                + ".port is set");
    }
}
