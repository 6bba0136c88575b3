package dev.autocert4j.spring;

import static java.util.Objects.requireNonNull;

import dev.autocert4j.AutocertException;
import dev.autocert4j.Certificate;
import dev.autocert4j.CertificateEvent;
import dev.autocert4j.CertificateManager;
import dev.autocert4j.store.StoredCertificate;
import java.math.BigInteger;
import java.time.Instant;
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
 * <p>Registering the bundles (which Spring Boot does while it creates the web server, before it serves anything)
 * looks for every managed certificate in the store. One that is not ready there is, with
 * {@link StartupMode#WAIT}, obtained at once (a certificate that cannot be obtained fails start-up); with
 * {@link StartupMode#PLACEHOLDER}, its bundles serve the stored certificate while it has not expired (one issued
 * for an earlier spec), else a self-signed placeholder, until the manager's next issuance, which replaces it
 * through a bundle update. Except, with {@link StartupMode#WAIT}, when the
 * application's own connector answers HTTP-01 ({@code autocert4j.http01.mode=application}): it serves only after
 * start-up, so the bundles of a certificate not stored yet are registered once the background renewal has issued
 * it, and a web server whose {@code server.ssl.bundle} is one of those fails start-up with a message that says so.
 * Thread-safe.
 */
public final class CertificateSslBundles implements SslBundleRegistrar {
    private static final Logger LOG = LoggerFactory.getLogger(CertificateSslBundles.class);

    private final CertificateManager manager;
    private final String bundleName;
    private final String defaultCertificate;
    private final StartupMode startup;
    /** What each registered bundle serves, by bundle name. */
    private final Map<String, Served> served = new ConcurrentHashMap<>();
    private final boolean obtainBeforeStart;
    private final String serverBundle;
    /** The bundle names of certificates to be registered when first issued, by certificate id. */
    private final Map<String, List<String>> deferred = new ConcurrentHashMap<>();
    private volatile SslBundleRegistry registry;

    /**
     * @param manager the certificate manager whose managed certificates the bundles serve
     * @param bundleName the name of the default bundle
     * @param defaultCertificate the name of the certificate the default bundle serves, or null for the first
     */
    public CertificateSslBundles(CertificateManager manager, String bundleName, String defaultCertificate) {
        this(manager, bundleName, defaultCertificate, StartupMode.WAIT, true, null);
    }

    /**
     * @param manager the certificate manager whose managed certificates the bundles serve
     * @param bundleName the name of the default bundle
     * @param defaultCertificate the name of the certificate the default bundle serves, or null for the first
     * @param startup what to serve for a certificate that is not ready in the store at start-up
     * @param obtainBeforeStart with {@link StartupMode#WAIT}, whether a certificate not stored yet is obtained while
     *     the bundles are registered (false when the application's own connector answers HTTP-01: then its bundles
     *     are registered once it is issued)
     * @param serverBundle the web server's {@code server.ssl.bundle}, or null when it serves plain HTTP
     */
    public CertificateSslBundles(CertificateManager manager, String bundleName, String defaultCertificate,
            StartupMode startup, boolean obtainBeforeStart, String serverBundle) {
        this.manager = requireNonNull(manager, "manager");
        this.bundleName = requireNonNull(bundleName, "bundleName");
        this.defaultCertificate = defaultCertificate;
        this.startup = requireNonNull(startup, "startup");
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
            Optional<StoredCertificate> stored = readyCertificate(certificate);
            if (stored.isPresent()) {
                names.forEach(name -> register(bundles, name, certificate, stored.get()));
            } else if (startup == StartupMode.PLACEHOLDER) {
                Optional<StoredCertificate> unexpired = unexpiredCertificate(certificate);
                if (unexpired.isPresent()) {
                    LOG.info("Certificate {} is stored but not ready (issued for another spec, or due): its SSL bundles"
                            + " serve it until the next one is issued in the background", certificate.id());
                    names.forEach(name -> register(bundles, name, certificate, unexpired.get()));
                } else {
                    registerPlaceholder(bundles, certificate, names);
                }
            } else if (obtainBeforeStart) {
                StoredCertificate first = obtainNow(certificate);
                names.forEach(name -> register(bundles, name, certificate, first));
            } else {
                defer(certificate, names);
            }
        }
        this.registry = bundles;
        if (startup == StartupMode.PLACEHOLDER) {
            // an issuance that ended while the bundles were being registered sent no update: catch up
            served.forEach((name, current) -> certificate(current.certificateId())
                    .filter(certificate -> current.placeholder() && isReadyNow(certificate))
                    .ifPresent(certificate -> update(bundles, name, certificate, current)));
        }
    }

    /** Whether the certificate is ready in the store; a store that cannot be read leaves the placeholder. */
    private boolean isReadyNow(Certificate certificate) {
        try {
            return readyCertificate(certificate).isPresent();
        } catch (IllegalStateException e) {
            LOG.warn("SSL bundles of {} keep the placeholder: {}", certificate.id(), e.getMessage());
            return false;
        }
    }

    private void register(SslBundleRegistry bundles, String name, Certificate certificate, StoredCertificate stored) {
        bundles.registerBundle(name, CertificateKeyStores.bundle(stored, manager.keyManager()));
        served.put(name, new Served(certificate.id(), stored.leaf().getSerialNumber(), false));
        LOG.info("SSL bundle '{}' serves certificate {} (serial {}, valid until {})", name, certificate.id(),
                stored.leaf().getSerialNumber().toString(16), stored.notAfter());
    }

    private void registerPlaceholder(SslBundleRegistry bundles, Certificate certificate, List<String> names) {
        PlaceholderCertificates.Placeholder placeholder = PlaceholderCertificates.placeholder(certificate, Instant.now());
        for (String name : names) {
            bundles.registerBundle(name, CertificateKeyStores.placeholderBundle(placeholder));
            served.put(name, new Served(certificate.id(), placeholder.certificate().getSerialNumber(), true));
        }
        LOG.warn("No valid certificate {} is stored yet: SSL bundle {} serves a self-signed placeholder until the "
                + "first one is issued in the background (autocert4j.startup=placeholder)", certificate.id(), names);
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

    private Certificate defaultCertificate(List<Certificate> certificates) {
        if (defaultCertificate == null) {
            return certificates.get(0);
        }
        return certificates.stream().filter(c -> c.name().equals(defaultCertificate)).findFirst()
                .orElseThrow(() -> new InvalidAutocert4jPropertyException("autocert4j.ssl.certificate",
                        "no managed certificate is named '" + defaultCertificate + "'",
                        "set it to one of the names under autocert4j.certificates, or leave it unset for the first"));
    }

    /** The stored certificate when it is ready. */
    private Optional<StoredCertificate> readyCertificate(Certificate certificate) {
        try {
            return manager.status(certificate).isReady() ? manager.store().load(certificate) : Optional.empty();
        } catch (AutocertException e) {
            throw new IllegalStateException("autocert4j cannot read certificate " + certificate.id()
                    + " from the store: " + e.getMessage(), e);
        }
    }

    /**
     * The stored certificate while it has not expired, ready or not: one issued for an earlier spec (a name added
     * since) still proves the names it has, which a self-signed placeholder proves to no client.
     */
    private Optional<StoredCertificate> unexpiredCertificate(Certificate certificate) {
        try {
            return manager.store().load(certificate).filter(stored -> stored.notAfter().isAfter(Instant.now()));
        } catch (AutocertException e) {
            LOG.warn("SSL bundles of {} serve the placeholder: the stored certificate cannot be read ({})",
                    certificate.id(), e.getMessage());
            return Optional.empty();
        }
    }

    /** Obtains a certificate now, on the start-up thread. */
    private StoredCertificate obtainNow(Certificate certificate) {
        try {
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
        if (event.type() == CertificateEvent.Type.FAILED) {
            warnIfStillPlaceholder(event);
            return;
        }
        if (event.type() != CertificateEvent.Type.ISSUED && event.type() != CertificateEvent.Type.RENEWED) {
            return;
        }
        SslBundleRegistry bundles = registry;
        Certificate certificate = certificate(event.certificateId()).orElse(null);
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

    private void warnIfStillPlaceholder(CertificateEvent event) {
        List<String> names = served.entrySet().stream()
                .filter(e -> e.getValue().placeholder() && e.getValue().certificateId().equals(event.certificateId()))
                .map(Map.Entry::getKey).sorted().toList();
        if (!names.isEmpty()) {
            LOG.warn("Certificate {} is not issued yet ({}): SSL bundle {} serves the self-signed placeholder until "
                    + "a retry succeeds", event.certificateId(), event.message(), names);
        }
    }

    private Optional<Certificate> certificate(String id) {
        return manager.managedCertificates().stream().filter(c -> c.id().equals(id)).findFirst();
    }

    private void update(SslBundleRegistry bundles, String name, Certificate certificate, Served current) {
        try {
            Optional<StoredCertificate> stored = manager.store().load(certificate);
            if (stored.isEmpty() || stored.get().leaf().getSerialNumber().equals(current.serial())) {
                return;
            }
            bundles.updateBundle(name, CertificateKeyStores.bundle(stored.get(), manager.keyManager()));
            served.put(name, new Served(current.certificateId(), stored.get().leaf().getSerialNumber(), false));
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

    /** Which certificate the bundle serves, the serial number it serves now, and whether that is a placeholder. */
    private record Served(String certificateId, BigInteger serial, boolean placeholder) {
    }
}
