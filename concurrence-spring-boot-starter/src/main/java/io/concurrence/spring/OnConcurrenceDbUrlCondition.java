package io.concurrence.spring;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code concurrence.db.url} is set, or {@code spring.datasource.url} starts with
 * {@code jdbc:concurrence:}.
 */
final class OnConcurrenceDbUrlCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Environment environment = context.getEnvironment();
        String own = environment.getProperty(ConcurrenceDbProperties.PREFIX + ".url");
        if (own != null && !own.isBlank()) {
            return ConditionOutcome.match("concurrence.db.url is set");
        }
        String spring = environment.getProperty("spring.datasource.url");
        if (spring != null && spring.regionMatches(true, 0, ConcurrenceDbAutoConfiguration.URL_PREFIX, 0,
                ConcurrenceDbAutoConfiguration.URL_PREFIX.length())) {
            return ConditionOutcome.match("spring.datasource.url starts with "
                    + ConcurrenceDbAutoConfiguration.URL_PREFIX);
        }
        return ConditionOutcome.noMatch("neither concurrence.db.url nor a spring.datasource.url starting with "
                + ConcurrenceDbAutoConfiguration.URL_PREFIX + " is set");
    }
}
