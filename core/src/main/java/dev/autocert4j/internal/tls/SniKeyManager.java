package dev.autocert4j.internal.tls;

import dev.autocert4j.Certificate;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.store.StoredCertificate;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Chooses the server certificate by the client's SNI name: the exact name, then a wildcard one
 * label up, then the certificate for the configured default name (found the same way). When none
 * of these exists there is no certificate for the handshake, and it fails: a client that sends no
 * name, or a name nobody configured, never sees another certificate's names. Each lookup is a
 * hash-map lookup, whatever the number of certificates.
 *
 * <p>A certificate nobody renews (obtained without {@code manage()}) is served until it expires:
 * from its notAfter on, by the manager's clock, a handshake looks past it as if it were absent, and
 * it is dropped. The check costs one clock read per handshake, and nothing at all for certificates
 * still valid beyond that comparison.
 *
 * <p>A renewal replaces a certificate atomically: an alias names one revision of one certificate,
 * and the previous revision's alias stays readable, so a handshake that chose an alias just before
 * the switch still finds its chain and key.
 */
public final class SniKeyManager extends X509ExtendedKeyManager {
    /** One revision of one certificate, under its alias. */
    private record Entry(String alias, String certificateId, List<String> names, X509Certificate[] chain, PrivateKey key,
            String keyType, Instant notAfter) {
    }

    private final ConcurrentHashMap<String, Entry> byName = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> byAlias = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Entry> currentByCertificate = new ConcurrentHashMap<>();
    private final String defaultName;
    private final Clock clock;
    private final Predicate<String> isManaged;
    private volatile SSLContext sslContext;

    /**
     * @param defaultName the name whose certificate is served without a matching SNI name; may be null
     * @param clock the clock that decides when a certificate has expired
     * @param isManaged tells by {@code namespace/name} whether a certificate is renewed; one that is
     *     not leaves this key manager when it expires
     */
    public SniKeyManager(String defaultName, Clock clock, Predicate<String> isManaged) {
        this.defaultName = defaultName == null ? null : defaultName.toLowerCase(Locale.ROOT);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.isManaged = Objects.requireNonNull(isManaged, "isManaged");
    }

    /**
     * @return a TLS server context over this key manager, created on the first call
     * @throws IllegalStateException when the JVM has no TLS
     */
    public SSLContext sslContext() {
        SSLContext context = sslContext;
        if (context == null) {
            synchronized (this) {
                if (sslContext == null) {
                    try {
                        SSLContext created = SSLContext.getInstance("TLS");
                        created.init(new KeyManager[] {this}, null, null);
                        sslContext = created;
                    } catch (GeneralSecurityException e) {
                        throw new IllegalStateException("this JVM cannot create a TLS context: " + Messages.describe(e), e);
                    }
                }
                context = sslContext;
            }
        }
        return context;
    }

    /**
     * Serves a certificate for its DNS names and IP addresses from now on, in place of an earlier
     * revision of it.
     *
     * @param certificate the certificate's spec
     * @param stored the certificate and its key
     */
    public void put(Certificate certificate, StoredCertificate stored) {
        List<String> names = new ArrayList<>(certificate.dnsNames());
        names.addAll(certificate.ipAddresses());
        put(certificate.id(), names, stored);
    }

    /**
     * Serves a certificate from now on, in place of an earlier revision of it.
     *
     * @param certificateId the certificate's {@code namespace/name}
     * @param names the DNS names and IP addresses it is served for
     * @param stored the certificate and its key
     */
    public synchronized void put(String certificateId, List<String> names, StoredCertificate stored) {
        String alias = certificateId + "#" + stored.metadata().revision() + "#" + stored.leaf().getSerialNumber().toString(16);
        Entry previous = currentByCertificate.get(certificateId);
        if (previous != null && previous.alias().equals(alias)) {
            return;
        }
        Entry entry = new Entry(alias, certificateId, List.copyOf(names), stored.chain().toArray(X509Certificate[]::new),
                stored.keyPair().getPrivate(), keyType(stored.keyPair().getPrivate().getAlgorithm()),
                stored.leaf().getNotAfter().toInstant());
        byAlias.put(alias, entry);
        for (String name : entry.names()) {
            byName.put(name.toLowerCase(Locale.ROOT), entry);
        }
        if (previous != null) {
            for (String name : previous.names()) {
                byName.remove(name.toLowerCase(Locale.ROOT), previous);
            }
            // The revision before the previous one is no longer reachable from any handshake.
            byAlias.values().removeIf(e -> e.certificateId().equals(certificateId) && e != previous && e != entry);
        }
        currentByCertificate.put(certificateId, entry);
    }

    /** @param certificateId a certificate no longer served */
    public synchronized void remove(String certificateId) {
        Entry current = currentByCertificate.remove(certificateId);
        if (current == null) {
            return;
        }
        for (String name : current.names()) {
            byName.remove(name.toLowerCase(Locale.ROOT), current);
        }
        byAlias.values().removeIf(e -> e.certificateId().equals(certificateId));
    }

    /** @return how many certificates are served */
    public int size() {
        return currentByCertificate.size();
    }

    /**
     * @param serverName the SNI name, or null when the client sent none
     * @return the alias of the certificate served for it: the name's own, else the default name's;
     *     null when neither is served, which fails the handshake
     */
    public String aliasFor(String serverName) {
        Entry entry = serverName == null ? null : lookup(serverName.toLowerCase(Locale.ROOT));
        if (entry == null && defaultName != null) {
            entry = lookup(defaultName);
        }
        return entry == null ? null : entry.alias();
    }

    /** The exact name, then a wildcard one label up; {@code name} is in lower case. */
    private Entry lookup(String name) {
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        Entry entry = servable(byName.get(name));
        int dot = name.indexOf('.');
        if (entry == null && dot > 0) {
            entry = servable(byName.get("*" + name.substring(dot)));
        }
        return entry;
    }

    /** @return the entry, or null when it is absent or expired and nobody renews it (then it is dropped) */
    private Entry servable(Entry entry) {
        if (entry == null || clock.instant().isBefore(entry.notAfter()) || isManaged.test(entry.certificateId())) {
            return entry;
        }
        dropIfCurrent(entry);
        return null;
    }

    /** Removes an expired unmanaged certificate unless a newer revision replaced it meanwhile. */
    private synchronized void dropIfCurrent(Entry expired) {
        if (currentByCertificate.get(expired.certificateId()) == expired) {
            remove(expired.certificateId());
        }
    }

    private String choose(String[] keyTypes, SSLSession handshake) {
        String sni = null;
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    sni = host.getAsciiName();
                    break;
                }
            }
        }
        String alias = aliasFor(sni);
        if (alias == null) {
            return null;
        }
        Entry entry = byAlias.get(alias);
        if (entry == null || keyTypes == null) {
            return alias;
        }
        for (String type : keyTypes) {
            if (type != null && type.equalsIgnoreCase(entry.keyType())) {
                return alias;
            }
        }
        return null;
    }

    private static String keyType(String algorithm) {
        return switch (algorithm) {
            case "ECDSA", "EC" -> "EC";
            case "EdDSA", "Ed25519" -> "EdDSA";
            default -> algorithm;
        };
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return choose(new String[] {keyType}, engine == null ? null : engine.getHandshakeSession());
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        SSLSession handshake = socket instanceof SSLSocket ssl ? ssl.getHandshakeSession() : null;
        return choose(new String[] {keyType}, handshake);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return byAlias.values().stream().filter(e -> keyType == null || keyType.equalsIgnoreCase(e.keyType()))
                .map(Entry::alias).toArray(String[]::new);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Entry entry = alias == null ? null : byAlias.get(alias);
        return entry == null ? null : entry.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Entry entry = alias == null ? null : byAlias.get(alias);
        return entry == null ? null : entry.key();
    }

    /** Client authentication is not what this key manager is for. */
    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return new String[0];
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
        return null;
    }

    @Override
    public String toString() {
        return "SniKeyManager[certificates=" + currentByCertificate.size() + ", names=" + byName.size() + "]";
    }
}
