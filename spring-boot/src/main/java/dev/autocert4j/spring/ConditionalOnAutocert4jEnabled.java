package dev.autocert4j.spring;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * The starter's off switch, on each of its auto-configurations: they all back off with {@code autocert4j.enabled=false}
 * (on when unset). One annotation, so that no auto-configuration can spell the switch differently. The Spring Boot 3
 * ones carry it too (spring-boot-3-health compiles this source as well).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ConditionalOnProperty(prefix = "autocert4j", name = "enabled", havingValue = "true", matchIfMissing = true)
@interface ConditionalOnAutocert4jEnabled {
}
