package dev.autocert4j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.autocert4j.issuer.IssuerScope;
import dev.autocert4j.store.InMemoryCertificateStore;
import dev.autocert4j.store.StoredCertificate;
import dev.autocert4j.testing.support.MovableClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The facts an event carries as fields, beside its message. */
class CertificateEventsTest {
    private final CountingIssuer issuer = new CountingIssuer("ca", IssuerScope.cluster());
    private final MovableClock clock = new MovableClock();
    private final InMemoryCertificateStore store = new InMemoryCertificateStore();
    private final List<CertificateEvent> events = new CopyOnWriteArrayList<>();
    private final CertificateManager manager =
            CertificateManager.builder().issuer(issuer).store(store).clock(clock).listener(events::add).build();
    private final Certificate spec =
            Certificate.builder("www").dnsNames("www.example.com").issuerRef(IssuerRef.clusterIssuer("ca")).build();

    private CertificateEvent only(CertificateEvent.Type type) {
        return events.stream().filter(e -> e.type() == type).reduce((first, second) -> second).orElseThrow();
    }

    @Test
    void anIssuedEventCarriesTheSerialExpiryAndIssuerOfTheStoredCertificate() throws Exception {
        StoredCertificate stored = manager.obtain(spec);

        CertificateEvent issued = only(CertificateEvent.Type.ISSUED);
        assertThat(issued.serialNumber()).contains(stored.leaf().getSerialNumber());
        assertThat(issued.notAfter()).contains(stored.notAfter());
        assertThat(issued.issuerName()).contains("ca");
        assertThat(issued.certificateId()).isEqualTo(spec.id());
        assertThat(issued.at()).isEqualTo(clock.instant());
    }

    @Test
    void aRenewedEventCarriesTheNewCertificate() throws Exception {
        manager.obtain(spec);
        clock.set(clock.instant().plus(Duration.ofDays(61)));
        StoredCertificate renewed = manager.obtain(spec);

        CertificateEvent event = only(CertificateEvent.Type.RENEWED);
        assertThat(event.serialNumber()).contains(renewed.leaf().getSerialNumber());
        assertThat(event.notAfter()).contains(renewed.notAfter());
        assertThat(event.issuerName()).contains("ca");
    }

    @Test
    void aFailedEventHasNoSerialButNamesTheIssuerThatFailed() {
        issuer.fail = true;

        assertThatThrownBy(() -> manager.obtain(spec)).isInstanceOf(AutocertException.class);

        CertificateEvent failed = only(CertificateEvent.Type.FAILED);
        assertThat(failed.serialNumber()).isEmpty();
        assertThat(failed.notAfter()).isEmpty();
        assertThat(failed.issuerName()).contains("ca");
    }

    @Test
    void aGeneratedKeyEventHasNoCertificateDetails() throws Exception {
        manager.obtain(spec);

        CertificateEvent generated = only(CertificateEvent.Type.GENERATED);
        assertThat(generated.serialNumber()).isEmpty();
        assertThat(generated.issuerName()).isEmpty();
    }

    @Test
    void aRevokedEventCarriesTheRevokedCertificate() throws Exception {
        StoredCertificate stored = manager.obtain(spec);

        manager.revoke(spec, RevocationReason.KEY_COMPROMISE);

        CertificateEvent revoked = only(CertificateEvent.Type.REVOKED);
        assertThat(revoked.serialNumber()).contains(stored.leaf().getSerialNumber());
        assertThat(revoked.notAfter()).contains(stored.notAfter());
        assertThat(revoked.issuerName()).contains("ca");
    }

    @Test
    void anEventMadeWithoutDetailsHasNone() {
        CertificateEvent event = new CertificateEvent(CertificateEvent.Type.PRESENTED, "default/www", "Presented", clock.instant());

        assertThat(event.issuerName()).isEmpty();
        assertThat(event.serialNumber()).isEmpty();
        assertThat(event.notAfter()).isEmpty();
        assertThat(event).isEqualTo(CertificateEvent.builder(CertificateEvent.Type.PRESENTED, "default/www", "Presented",
                clock.instant()).build());
    }
}
