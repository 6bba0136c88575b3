package dev.autocert4j.internal.acme;

import dev.autocert4j.AutocertException;
import dev.autocert4j.PrivateKeySpec;
import dev.autocert4j.internal.text.Messages;
import dev.autocert4j.internal.x509.KeyPairs;
import dev.autocert4j.issuer.AccountKeyRef;
import dev.autocert4j.issuer.IssuanceContext;
import dev.autocert4j.issuer.RenewalWindow;
import dev.autocert4j.lock.LockProvider;
import dev.autocert4j.store.AccountKeys;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.shredzone.acme4j.AccountBuilder;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Session;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.shredzone.acme4j.exception.AcmeNetworkException;
import org.shredzone.acme4j.exception.AcmeRateLimitedException;
import org.shredzone.acme4j.toolbox.AcmeUtils;
import org.shredzone.acme4j.toolbox.JSON;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One acme4j session per issuer and one login per account key: the account is registered (or
 * found, for a key the CA already knows) once, then reused by every order. Thread-safe.
 */
public final class AcmeSessions {
    private static final Logger LOG = LoggerFactory.getLogger(AcmeSessions.class);
    private static final Duration ACCOUNT_LOCK_TIMEOUT = Duration.ofMinutes(2);

    private final URI directory;
    private final KeyStore trustStore;
    private final String email;
    private final ExternalAccountBinding eab;
    private final PrivateKeySpec accountKeySpec;
    private final ConcurrentHashMap<String, Login> logins = new ConcurrentHashMap<>();
    /** Account keys of stores that keep none, by {@link AccountKeyRef#id()}. */
    private final java.util.concurrent.ConcurrentHashMap<String, KeyPair> processAccountKeys =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile Session session;
    private final WarmUp warmUp = new WarmUp();

    /**
     * @param directory the directory URL
     * @param trustStore explicit trust anchors for the CA's TLS certificate, or null for the JVM default
     * @param email contact email or null
     * @param eab external account binding or null
     * @param accountKeySpec algorithm of a newly generated account key, or null for the store's choice
     *     ({@link AccountKeys#newAccountKeySpec()}; ECDSA P-256 for a store without account keys)
     */
    public AcmeSessions(URI directory, KeyStore trustStore, String email, ExternalAccountBinding eab,
            PrivateKeySpec accountKeySpec) {
        this.directory = directory;
        this.trustStore = trustStore;
        this.email = email;
        this.eab = eab;
        this.accountKeySpec = accountKeySpec;
    }

    private volatile boolean directoryChecked;

    private Session session() throws AutocertException {
        Session s = session;
        if (s == null) {
            synchronized (this) {
                s = session;
                if (s == null) {
                    s = new Session(directory, new AcmeHttpProvider(sslContext()));
                    session = s;
                }
            }
        }
        return s;
    }

    private SSLContext sslContext() throws AutocertException {
        try {
            if (trustStore == null) {
                return SSLContext.getDefault();
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new AutocertException("Could not set up TLS trust for " + directory + ": " + Messages.describe(e), false, e);
        }
    }

    /**
     * @param ref where the account key lives
     * @param context the issuance context (store and locks)
     * @return a login for the account, registering it on first use
     * @throws AutocertException when the key cannot be stored or the CA refuses the account
     * @throws InterruptedException when interrupted while waiting for the account lock
     */
    public Login login(AccountKeyRef ref, IssuanceContext context) throws AutocertException, InterruptedException {
        requireDirectory(); // before the account key is written: a wrong URL leaves the store as it was
        KeyPair key = accountKey(ref, context);
        String cacheKey = ref.id() + "#" + java.util.Base64.getEncoder().encodeToString(key.getPublic().getEncoded());
        Login cached = logins.get(cacheKey);
        if (cached != null) {
            return cached;
        }
        synchronized (logins) {
            cached = logins.get(cacheKey);
            if (cached != null) {
                return cached;
            }
            Login login = register(key);
            logins.put(cacheKey, login);
            return login;
        }
    }

    /**
     * Reads the directory once and checks that it is one: an https URL that answers with something
     * else (a 404, a web page, JSON without {@code newNonce}/{@code newAccount}/{@code newOrder}) is a
     * configuration mistake, refused with what to change; an unreachable or failing CA stays a retryable
     * failure. Once it passed, it is not read again for this check.
     *
     * @throws AutocertException when the CA cannot be reached or fails
     * @throws IllegalArgumentException when the URL answers, but not as an ACME directory
     */
    public void requireDirectory() throws AutocertException {
        if (directoryChecked) {
            return;
        }
        warmUp.start(); // also installs the ES256 that every later signature of this session uses
        try {
            readDirectory();
        } finally {
            warmUp.await();
        }
        directoryChecked = true;
    }

    private void readDirectory() throws AutocertException {
        Session s = session();
        try {
            s.resourceUrl(Resource.NEW_NONCE);
            s.resourceUrl(Resource.NEW_ACCOUNT);
            s.resourceUrl(Resource.NEW_ORDER);
        } catch (AcmeNetworkException | AcmeRateLimitedException e) {
            throw AcmeErrors.translate(e, "reading the directory " + directory);
        } catch (AcmeException | RuntimeException e) {
            String detail = Messages.describe(e);
            if (detail.matches("(?s).*HTTP 5\\d\\d.*")) {
                throw AcmeErrors.translate(e instanceof AcmeException a ? a : new AcmeException(detail, e),
                        "reading the directory " + directory);
            }
            throw new IllegalArgumentException(directory + " is not an ACME directory (no newNonce/newAccount/newOrder): check the URL, "
                    + "for example https://acme-v02.api.letsencrypt.org/directory (the server answered: " + detail + ")", e);
        }
    }

    @SuppressWarnings("try") // the lock is held by the try block, not used inside it
    private KeyPair accountKey(AccountKeyRef ref, IssuanceContext context) throws AutocertException, InterruptedException {
        if (!(context.store() instanceof AccountKeys keys)) {
            // A store without account keys: one key per process, so every restart registers a new account.
            return processAccountKeys.computeIfAbsent(ref.id(), id -> {
                LOG.info("{} keeps no account keys: account {} lives as long as this process",
                        context.store().getClass().getSimpleName(), id);
                return KeyPairs.generate(accountKeySpec == null ? PrivateKeySpec.ecdsa(256) : accountKeySpec);
            });
        }
        Optional<KeyPair> stored = keys.loadAccountKey(ref);
        if (stored.isPresent()) {
            return stored.get();
        }
        // Lock so that replicas starting together agree on one key, hence one account.
        try (LockProvider.Lock lock = context.locks().acquire("account/" + ref.id(), ACCOUNT_LOCK_TIMEOUT)) {
            stored = keys.loadAccountKey(ref);
            if (stored.isPresent()) {
                return stored.get();
            }
            KeyPair fresh = KeyPairs.generate(accountKeySpec == null ? keys.newAccountKeySpec() : accountKeySpec);
            LOG.info("Generated a new ACME account key {} for {}", ref.id(), directory);
            return keys.saveAccountKeyIfAbsent(ref, fresh);
        }
    }

    private Login register(KeyPair key) throws AutocertException {
        AccountBuilder builder = new AccountBuilder().agreeToTermsOfService().useKeyPair(key);
        if (email != null) {
            builder.addEmail(email);
        }
        if (eab != null) {
            eab.applyTo(builder);
        }
        try {
            Session session = session();
            Login login = BadNonceRetry.call(() -> builder.createLogin(session));
            LOG.info("Using ACME account {} at {}", login.getAccountLocation(), directory);
            return login;
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "registering the ACME account at " + directory);
        }
    }

    /**
     * Asks the CA for its suggested renewal window of a certificate (ACME Renewal Information,
     * RFC 9773): an unauthenticated GET of {@code <renewalInfo>/<certID>}.
     *
     * @param certificate the certificate the CA issued
     * @return the window, or empty when the CA's directory has no {@code renewalInfo}
     * @throws AutocertException when the CA cannot be asked or answers nonsense
     * @throws InterruptedException when interrupted
     */
    public Optional<RenewalWindow> renewalWindow(X509Certificate certificate) throws AutocertException, InterruptedException {
        Optional<URL> base;
        try {
            base = session().resourceUrlOptional(Resource.RENEWAL_INFO);
        } catch (AcmeException e) {
            throw AcmeErrors.translate(e, "reading the directory of " + directory);
        }
        if (base.isEmpty()) {
            return Optional.empty();
        }
        String root = base.get().toString();
        URI uri = URI.create(root + (root.endsWith("/") ? "" : "/") + AcmeUtils.getRenewalUniqueIdentifier(certificate));
        // The session's own client: one per issuer, its connections kept alive with the ACME requests'
        // (a client per call built a TLS context, a selector thread and a connection each time).
        HttpClient client = session().getHttpClient();
        try {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AutocertException("The CA's renewal information " + uri + " answered HTTP " + response.statusCode(), true);
            }
            JSON window = JSON.parse(response.body()).get("suggestedWindow").asObject();
            return Optional.of(new RenewalWindow(window.get("start").asInstant(), window.get("end").asInstant()));
        } catch (IOException e) {
            throw new AutocertException("Cannot fetch the CA's renewal information " + uri + ": " + e, true, e);
        } catch (RuntimeException e) {
            throw new AutocertException("The CA's renewal information " + uri + " is not a valid suggestedWindow: "
                    + Messages.describe(e), true, e);
        }
    }

    /**
     * For tests: waits at most {@code timeout} for the warm-up thread's work, without waiting for the directory read.
     *
     * @param timeout the longest wait
     * @return whether the warm-up has ended
     * @throws InterruptedException when interrupted while waiting
     */
    boolean warmUpEndedWithin(Duration timeout) throws InterruptedException {
        return warmUp.endedWithin(timeout);
    }
}
