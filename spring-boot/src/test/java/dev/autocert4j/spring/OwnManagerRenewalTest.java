package dev.autocert4j.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.IssuerRef;
import dev.autocert4j.issuer.SelfSignedIssuer;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.testing.internal.Poll;
import dev.autocert4j.testing.support.MovableClock;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The README's "your own manager": an application defines the {@link CertificateManager} bean with the starter's
 * {@link ApplicationEventCertificateListener}, the starter backs off, and a renewal of that manager still reaches
 * the SSL bundle (as the bundle update a server applies) and the application's event listeners.
 */
class OwnManagerRenewalTest {
    static final Certificate OWN = Certificate.builder("own").dnsNames("own.internal").duration(Duration.ofDays(30))
            .issuerRef(IssuerRef.clusterIssuer("own")).build();

    @Test
    void aRenewalOfTheApplicationsOwnManagerReachesTheSslBundleAndTheApplicationEvents() throws Exception {
        List<CertificateEvent> events = new CopyOnWriteArrayList<>();
        try (ConfigurableApplicationContext context = new SpringApplicationBuilder(TestApplication.class,
                OwnRenewingManager.class).web(WebApplicationType.NONE)
                .listeners((ApplicationListener<PayloadApplicationEvent<?>>) e -> {
                    if (e.getPayload() instanceof CertificateEvent event) {
                        events.add(event);
                    }
                })
                .run()) {
            CertificateManager manager = context.getBean(CertificateManager.class);
            SslBundles bundles = context.getBean(SslBundles.class);
            BigInteger first = leaf(bundles.getBundle("autocert4j")).getSerialNumber();
            AtomicReference<SslBundle> update = new AtomicReference<>();
            bundles.addBundleUpdateHandler("autocert4j", update::set);

            context.getBean(MovableClock.class).set(manager.status(OWN).renewalTime().orElseThrow());
            manager.runDue();
            // The background renewal, started with the context, may be the one that renews: either way an event.
            Poll.until(Duration.ofSeconds(30), () -> update.get() != null, () -> "no bundle update within 30 s");

            BigInteger renewed = manager.store().load(OWN).orElseThrow().leaf().getSerialNumber();
            assertThat(renewed).isNotEqualTo(first);
            assertThat(leaf(update.get()).getSerialNumber()).as("the update handler's bundle").isEqualTo(renewed);
            assertThat(leaf(bundles.getBundle("autocert4j")).getSerialNumber()).isEqualTo(renewed);
            assertThat(events).extracting(CertificateEvent::type).as("Spring application events")
                    .contains(CertificateEvent.Type.RENEWED);
            assertThat(context.getBeanNamesForType(CertificateManager.class)).containsExactly("ownCertificateManager");
        }
    }

    private static X509Certificate leaf(SslBundle bundle) throws Exception {
        return (X509Certificate) bundle.getStores().getKeyStore().getCertificate(bundle.getKey().getAlias());
    }

    /** As the README shows it: the application's manager, with the starter's listener; a clock the test moves. */
    @Configuration(proxyBeanMethods = false)
    static class OwnRenewingManager {
        @Bean
        MovableClock clock() {
            return new MovableClock();
        }

        @Bean(destroyMethod = "close")
        CertificateManager ownCertificateManager(MovableClock clock, ApplicationEventPublisher publisher) {
            CertificateManager manager = CertificateManager.builder().clock(clock)
                    .issuer(SelfSignedIssuer.builder("own").build()).store(new InMemoryCertificateStore())
                    .listener(new ApplicationEventCertificateListener(publisher)).build();
            manager.manage(OWN);
            return manager;
        }
    }
}
