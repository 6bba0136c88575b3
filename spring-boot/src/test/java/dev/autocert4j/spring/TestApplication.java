package dev.autocert4j.spring;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The smallest web application: auto-configuration, and one endpoint that greets. */
@SpringBootConfiguration
@EnableAutoConfiguration
@RestController
public class TestApplication {
    @GetMapping("/")
    String hello() {
        return "hello over HTTPS";
    }
}
