package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.StoredCertificate;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.ssl.SslBundleRegistrar;
import org.springframework.boot.ssl.SslBundleRegistry;
import org.springframework.context.event.EventListener;

/**
 * Registers the SSL bundles of the managed certificates, and updates them when a certificate is issued anew.
 * The bundle named by {@code autocert4j.ssl.bundle} serves {@code autocert4j.ssl.certificate} (or the first
 * managed certificate); each managed certificate also has a bundle of its own, named {@code <bundle>-<name>}
 * ({@code autocert4j-www} for the certificate {@code www}), for Spring Boot's
 * {@code server.ssl.server-name-bundles}: one certificate per SNI name. Tomcat builds its SSL context from the
 * bundle's key store, so each renewal is sent as a bundle update, which Tomcat applies from the next handshake on.
 *
 * <p>Start-up waits for the certificates: registering the bundles (which Spring Boot does while it creates the
 * web server, before it serves anything) obtains every managed certificate that is not ready in the store.
 * A certificate that cannot be obtained fails start-up. Except when the application's own connector answers
 * HTTP-01 ({@code autocert4j.http01.mode=application}): it serves only after start-up, so the bundles of a
 * certificate not stored yet are registered once the background renewal has issued it, and a web server whose
 * {@code server.ssl.bundle} is one of those fails start-up with a message that says so. Thread-safe.
 */
public final class CertificateSslBundles implements SslBundleRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateSslBundles.class);

    private final CertificateManager manager;
    private final String bundleName;
    private final String defaultCertificate;
    /** What each registered bundle serves, by bundle name. */
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final boolean obtainBeforeStart;
    private final String serverBundle;
    /** The bundle names of certificates to be registered when first issued, by certificate id. */
    private final Map<String, List<String>> deferred = new ConcurrentHashMap<>();
    private volatile SslBundleRegistry registry;

    /**
     * Bundles that obtain each certificate not stored yet before the web server starts.
     *
     * @param manager the certificate manager whose managed certificates the bundles serve
     * @param bundleName the name of the default bundle
     * @param defaultCertificate the name of the certificate the default bundle serves, or null for the first
     */
    public CertificateSslBundles(CertificateManager manager, String bundleName, String defaultCertificate) {
        this(manager, bundleName, defaultCertificate, true, null);
    }

    /**
     * @param manager the certificate manager whose managed certificates the bundles serve
     * @param bundleName the name of the default bundle
     * @param defaultCertificate the name of the certificate the default bundle serves, or null for the first
     * @param obtainBeforeStart whether a certificate not stored yet is obtained while the bundles are registered
     *     (false when the application's own connector answers HTTP-01: then it is registered once issued)
     * @param serverBundle the web server's {@code server.ssl.bundle}, or null when it serves plain HTTP
     */
    public CertificateSslBundles(CertificateManager manager, String bundleName, String defaultCertificate,
            boolean obtainBeforeStart, String serverBundle) {
        this.manager = requireNonNull(manager, "manager");
        this.bundleName = requireNonNull(bundleName, "bundleName");
        this.defaultCertificate = defaultCertificate;
        this.obtainBeforeStart = obtainBeforeStart;
        this.serverBundle = serverBundle;
    }

    @Override
    public void registerBundles(SslBundleRegistry bundles) {
        List<Certificate> certificates = manager.managedCertificates();
        if (certificates.isEmpty()) {
            LOG.warn("autocert4j manages no certificate, so SSL bundle '{}' is not registered", bundleName);
            return;
        }
        Certificate byDefault = defaultCertificate(certificates);
        for (Certificate certificate : certificates) {
            List<String> names = certificate.id().equals(byDefault.id())
                    ? List.of(bundleName + "-" + certificate.name(), bundleName)
                    : List.of(bundleName + "-" + certificate.name());
            Optional<StoredCertificate> stored = obtainBeforeStart ? Optional.of(firstCertificate(certificate))
                    : readyCertificate(certificate);
            if (stored.isPresent()) {
                names.forEach(name -> register(bundles, name, certificate, stored.get()));
            } else {
                defer(certificate, names);
            }
        }
        this.registry = bundles;
    }

    private void defer(Certificate certificate, List<String> names) {
        if (serverBundle != null && names.contains(serverBundle)) {
            throw new InvalidAutocert4jPropertyException("autocert4j.http01.mode", "certificate " + certificate.id()
                    + " is not stored yet, and the application's own connector, which is to answer its HTTP-01"
                    + " challenge, serves only after the web server has started with SSL bundle '" + serverBundle + "'",
                    "obtain the first certificate with autocert4j.http01.mode=standalone, or serve plain HTTP on"
                    + " the connector that answers HTTP-01 and HTTPS elsewhere");
        }
        deferred.put(certificate.id(), names);
        LOG.info("No valid certificate {} is stored yet: SSL bundles {} are registered once it is issued through the"
                + " application's own HTTP connector", certificate.id(), names);
    }

    private Optional<StoredCertificate> readyCertificate(Certificate certificate) {
        try {
            return manager.status(certificate).isReady() ? manager.store().load(certificate) : Optional.empty();
        } catch (AutocertException e) {
            throw new IllegalStateException("autocert4j cannot read certificate " + certificate.id()
                    + " from its store: " + e.getMessage(), e);
        }
    }

    private void register(SslBundleRegistry bundles, String name, Certificate certificate, StoredCertificate stored) {
        bundles.registerBundle(name, CertificateKeyStores.bundle(stored, manager.keyManager()));
        served.put(name, new Served(certificate.id(), stored.leaf().getSerialNumber()));
        LOG.info("SSL bundle '{}' serves certificate {} (serial {}, valid until {})", name, certificate.id(),
                stored.leaf().getSerialNumber().toString(16), stored.notAfter());
    }

    private Certificate defaultCertificate(List<Certificate> certificates) {
        if (defaultCertificate == null) {
            return certificates.get(0);
        }
        return certificates.stream().filter(c -> c.name().equals(defaultCertificate)).findFirst()
                .orElseThrow(() -> new InvalidAutocert4jPropertyException("autocert4j.ssl.certificate",
                        "no managed certificate is named '" + defaultCertificate + "'",
                        "set it to one of the names under autocert4j.certificates, or leave it unset for the first"));
    }

    /** The stored certificate when it is ready; otherwise obtains one now, on the start-up thread. */
    private StoredCertificate firstCertificate(Certificate certificate) {
        try {
            if (manager.status(certificate).isReady()) {
                Optional<StoredCertificate> stored = manager.store().load(certificate);
                if (stored.isPresent()) {
                    return stored.get();
                }
            }
            LOG.info("No valid certificate {} is stored yet: obtaining one before the web server starts", certificate.id());
            return manager.obtain(certificate);
        } catch (AutocertException e) {
            throw new IllegalStateException("autocert4j cannot obtain certificate " + certificate.id()
                    + " before start-up: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while obtaining certificate " + certificate.id(), e);
        }
    }

    /**
     * Updates the bundles of a certificate that was issued or renewed, so that a server that built its SSL
     * context from the bundle's key store reloads it (Tomcat does so from the next handshake on).
     *
     * @param event a certificate event, republished by {@link ApplicationEventCertificateListener}
     */
    @EventListener
    public void onCertificateEvent(CertificateEvent event) {
        if (event.type() != CertificateEvent.Type.ISSUED && event.type() != CertificateEvent.Type.RENEWED) {
            return;
        }
        SslBundleRegistry bundles = registry;
        Certificate certificate = manager.managedCertificates().stream()
                .filter(c -> c.id().equals(event.certificateId())).findFirst().orElse(null);
        if (bundles == null || certificate == null) {
            return;
        }
        List<String> first = deferred.remove(certificate.id());
        if (first != null) {
            registerIssued(bundles, certificate, first);
        }
        served.forEach((name, current) -> {
            if (current.certificateId().equals(event.certificateId())) {
                update(bundles, name, certificate, current);
            }
        });
    }

    private void update(SslBundleRegistry bundles, String name, Certificate certificate, Served current) {
        try {
            Optional<StoredCertificate> stored = manager.store().load(certificate);
            if (stored.isEmpty() || stored.get().leaf().getSerialNumber().equals(current.serial())) {
                return;
            }
            bundles.updateBundle(name, CertificateKeyStores.bundle(stored.get(), manager.keyManager()));
            served.put(name, new Served(current.certificateId(), stored.get().leaf().getSerialNumber()));
            LOG.info("SSL bundle '{}' updated to certificate {} serial {}", name, certificate.id(),
                    stored.get().leaf().getSerialNumber().toString(16));
        } catch (AutocertException | RuntimeException e) {
            LOG.warn("SSL bundle '{}' not updated to the new certificate {}: {}", name, certificate.id(), e.toString());
        }
    }

    private void registerIssued(SslBundleRegistry bundles, Certificate certificate, List<String> names) {
        try {
            Optional<StoredCertificate> stored = manager.store().load(certificate);
            if (stored.isEmpty()) {
                deferred.put(certificate.id(), names);
                return;
            }
            names.forEach(name -> register(bundles, name, certificate, stored.get()));
        } catch (AutocertException | RuntimeException e) {
            deferred.put(certificate.id(), names);
            LOG.warn("SSL bundles {} of certificate {} not registered: {}", names, certificate.id(), e.toString());
        }
    }

    /** Which certificate the bundle serves, and the serial number it serves now. */
    private record Served(String certificateId, BigInteger serial) {
    }
}
