import dev.autocert4j.CertificateManager;
import dev.autocert4j.spring.Autocert4jAutoConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;

/** autocert4j-spring-boot-starter from the BOM alone: Spring Boot starts with the starter's manager. */
@ImportAutoConfiguration(Autocert4jAutoConfiguration.class)
public class Smoke {
    public static void main(String[] args) throws Exception {
        SpringApplication app = new SpringApplication(Smoke.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        try (ConfigurableApplicationContext context = app.run(
                "--autocert4j.issuers.internal.self-signed=true",
                "--autocert4j.certificates.www.dns-names=www.example.test",
                "--autocert4j.store.directory=target/smoke-store")) {
            context.getBean(CertificateManager.class);
        }
        System.out.println("spring-boot-starter: context started with a CertificateManager");
    }
}
