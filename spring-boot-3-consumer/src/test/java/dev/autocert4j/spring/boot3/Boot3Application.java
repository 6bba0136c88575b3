package dev.autocert4j.spring.boot3;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The smallest Spring Boot 3.5 web application: auto-configuration, and one endpoint that greets. */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class Boot3Application {
    @GetMapping("/")
    String hello() {
        return "hello over HTTPS";
    }
}
