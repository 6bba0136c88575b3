package dev.autocert4j.spring;

import java.lang.reflect.InvocationTargetException;
import java.util.Map;

/**
 * What a health indicator answered, read without Spring Boot's health types: they live in
 * {@code org.springframework.boot.health.contributor} on Spring Boot 4 and in
 * {@code org.springframework.boot.actuate.health} on Spring Boot 3, and the same tests run on both.
 *
 * @param status the status code: {@code UP}, {@code DOWN}, {@code UNKNOWN}
 * @param details the details
 */
record HealthReading(String status, Map<String, Object> details) {
    /** The package of the health API of the Spring Boot on the class path. */
    static final String HEALTH_PACKAGE = present("org.springframework.boot.health.contributor.HealthIndicator")
            ? "org.springframework.boot.health." : "org.springframework.boot.actuate.health.";

    /** The starter's health auto-configuration for the Spring Boot on the class path. */
    static final Class<?> AUTO_CONFIGURATION = load(HEALTH_PACKAGE.endsWith(".boot.health.")
            ? "dev.autocert4j.spring.Autocert4jHealthAutoConfiguration"
            : "dev.autocert4j.spring.Autocert4jBoot3HealthAutoConfiguration");

    /**
     * @param indicator a {@code HealthIndicator} of either Spring Boot
     * @return what its {@code health()} answers now
     */
    @SuppressWarnings("unchecked")
    static HealthReading of(Object indicator) {
        try {
            Object health = indicator.getClass().getMethod("health").invoke(indicator);
            Object status = health.getClass().getMethod("getStatus").invoke(health);
            String code = (String) status.getClass().getMethod("getCode").invoke(status);
            return new HealthReading(code, (Map<String, Object>) health.getClass().getMethod("getDetails").invoke(health));
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new AssertionError("not a health indicator: " + indicator.getClass(), e);
        }
    }

    private static Class<?> load(String className) {
        try {
            return Class.forName(className, false, HealthReading.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new AssertionError("the starter has no " + className + " for this Spring Boot", e);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, HealthReading.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
