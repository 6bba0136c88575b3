package dev.autocert4j.spring;

import dev.autocert4j.solver.http.Http01Solver;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * With {@code autocert4j.http01.mode=application}, answers HTTP-01 challenges in the application's own web
 * server: a servlet filter in a Spring MVC application, a web filter in a WebFlux one.
 */
@AutoConfiguration(after = Autocert4jAutoConfiguration.class)
@ConditionalOnAutocert4jEnabled
@ConditionalOnProperty(prefix = "autocert4j.http01", name = "mode", havingValue = "application")
@ConditionalOnBean(Http01Solver.class)
public class Autocert4jHttp01AutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public Autocert4jHttp01AutoConfiguration() {
    }

    /** The servlet filter, in a servlet web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.Filter")
    static class Servlet {
        @Bean
        Http01ChallengeFilter autocert4jHttp01ChallengeFilter(Http01Solver solver) {
            return new Http01ChallengeFilter(solver);
        }
    }

    /** The web filter, in a reactive web application. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    @ConditionalOnClass(name = "org.springframework.web.server.WebFilter")
    static class Reactive {
        @Bean
        Http01ChallengeWebFilter autocert4jHttp01ChallengeWebFilter(Http01Solver solver) {
            return new Http01ChallengeWebFilter(solver);
        }
    }
}
