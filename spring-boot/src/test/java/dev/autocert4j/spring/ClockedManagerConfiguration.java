package dev.autocert4j.spring;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.CaIssuer;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.testing.support.MovableClock;
import java.time.Duration;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * An application's own certificate manager, as the README shows, with the starter's listener so that events reach
 * Spring: a self-signed issuer {@code internal}, a CA issuer {@code missing-ca} whose CA certificate is never
 * stored, a store in memory that counts its reads, and a clock the test moves. Nothing starts its background renewal.
 */
@Configuration(proxyBeanMethods = false)
class ClockedManagerConfiguration {
    /** Self-signed, valid for 30 days. */
    static final Certificate API = Certificate.builder("api").dnsNames("api.internal")
            .duration(Duration.ofDays(30)).issuerRef(IssuerRef.clusterIssuer("internal")).build();
    /** Issued by a CA whose own certificate is not in the store: every attempt fails. */
    static final Certificate WEB = Certificate.builder("web").dnsNames("web.internal")
            .issuerRef(IssuerRef.clusterIssuer("missing-ca")).build();

    @Bean
    MovableClock clock() {
        return new MovableClock();
    }

    @Bean
    ReadCountingStore store() {
        return new ReadCountingStore();
    }

    @Bean(destroyMethod = "close")
    CertificateManager certificateManager(MovableClock clock, ReadCountingStore store, ApplicationEventPublisher publisher) {
        Certificate ca = Certificate.builder("ca").dnsNames("absent-ca.internal").isCA(true)
                .issuerRef(IssuerRef.clusterIssuer("internal")).build();
        return CertificateManager.builder().clock(clock).store(store)
                .issuer(SelfSignedIssuer.builder("internal").build())
                .issuer(CaIssuer.builder("missing-ca").secret(ca).build())
                .listener(new ApplicationEventCertificateListener(publisher)).build();
    }
}
