package io.concurrence.spring;

import java.util.Set;
import java.util.TreeSet;

import org.springframework.beans.BeansException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

import io.concurrence.remote.RemoteClient;

/**
 * Defines a {@link RemoteClient} bean {@code <name>RemoteClient} for each {@code concurrence.remote.clients.<name>}
 * (a dashed name becomes camel case: {@code order-service} gives {@code orderServiceRemoteClient}), unless the
 * application defines a bean of that name. Only the names are read here; each client's properties are bound when
 * its bean is created, by {@link RemoteClientFactory}.
 */
final class RemoteClientsRegistrar implements BeanDefinitionRegistryPostProcessor, EnvironmentAware,
        BeanFactoryAware {

    private static final ConfigurationPropertyName CLIENTS =
            ConfigurationPropertyName.of(ConcurrenceRemoteClientProperties.PREFIX);

    /** Set by Spring before post-processing; read then. */
    private Environment environment;
    /** Set by Spring before post-processing; read by the client beans' suppliers. */
    private BeanFactory beanFactory;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) throws BeansException {
        this.beanFactory = beanFactory;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        RemoteClientFactory factory = new RemoteClientFactory(environment, beanFactory);
        for (String name : clientNames(environment)) {
            String beanName = beanName(name);
            if (registry.containsBeanDefinition(beanName)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition(RemoteClient.class, () -> factory.create(name));
            definition.setDestroyMethodName("close");
            registry.registerBeanDefinition(beanName, definition);
        }
    }

    /** The names under {@code concurrence.remote.clients}, in their dashed form. */
    static Set<String> clientNames(Environment environment) {
        Set<String> names = new TreeSet<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream()
                        .filter(CLIENTS::isAncestorOf)
                        .map(name -> name.getElement(CLIENTS.getNumberOfElements(),
                                ConfigurationPropertyName.Form.DASHED))
                        .forEach(names::add);
            }
        }
        return names;
    }

    /** {@code order-service} gives {@code orderServiceRemoteClient}. */
    static String beanName(String name) {
        StringBuilder camel = new StringBuilder(name.length() + 12);
        boolean upper = false;
        for (char c : name.toCharArray()) {
            if (c == '-') {
                upper = true;
            } else {
                camel.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return camel.append("RemoteClient").toString();
    }
}
