package dev.autocert4j.manifests;

import static dev.autocert4j.manifests.Fields.wrapGet;

import dev.autocert4j.store.CertificateKeystores;
import dev.autocert4j.store.JksKeystore;
import dev.autocert4j.store.KeystorePassword;
import dev.autocert4j.store.Pkcs12Keystore;
import dev.autocert4j.store.Pkcs12Profile;
import java.util.Optional;

/**
 * Reads a Certificate's {@code spec.keystores} (cert-manager v1.21 {@code CertificateKeystores}): {@code pkcs12}
 * with {@code create}, {@code profile} and {@code passwordSecretRef} or {@code password}; {@code jks} with
 * {@code create}, {@code alias} and the same passwords. A literal password never goes into a message.
 */
final class KeystoresReader {
    private KeystoresReader() {
    }

    /** @return the certificate's keystores, or empty when {@code spec.keystores} is absent */
    static Optional<CertificateKeystores> read(YamlObject spec) {
        Optional<YamlObject> keystores = spec.object("keystores");
        if (keystores.isEmpty()) {
            return Optional.empty();
        }
        CertificateKeystores result = CertificateKeystores.NONE;
        Optional<YamlObject> pkcs12 = keystores.get().object("pkcs12");
        if (pkcs12.isPresent()) {
            result = result.withPkcs12(pkcs12(pkcs12.get()));
        }
        Optional<YamlObject> jks = keystores.get().object("jks");
        if (jks.isPresent()) {
            result = result.withJks(jks(jks.get()));
        }
        keystores.get().done();
        return Optional.of(result);
    }

    private static Pkcs12Keystore pkcs12(YamlObject o) {
        boolean create = o.bool("create").orElse(false);
        Optional<KeystorePassword> password = password(o, create, "PKCS#12");
        Optional<String> profile = o.string("profile");
        o.done();
        if (password.isEmpty()) {
            return Pkcs12Keystore.disabled();
        }
        Pkcs12Keystore keystore = Pkcs12Keystore.create(password.get());
        return profile.isEmpty() ? keystore
                : keystore.withProfile(wrapGet(o, "profile", () -> Pkcs12Profile.fromManifestName(profile.get())));
    }

    private static JksKeystore jks(YamlObject o) {
        boolean create = o.bool("create").orElse(false);
        Optional<KeystorePassword> password = password(o, create, "JKS");
        Optional<String> alias = o.string("alias");
        o.done();
        if (password.isEmpty()) {
            return JksKeystore.disabled();
        }
        JksKeystore keystore = JksKeystore.create(password.get());
        return alias.isEmpty() ? keystore : wrapGet(o, "alias", () -> keystore.withAlias(alias.get()));
    }

    /** @return the password when {@code create} is true; as cert-manager, exactly one of the two kinds */
    private static Optional<KeystorePassword> password(YamlObject o, boolean create, String format) {
        Optional<YamlObject> ref = o.object("passwordSecretRef");
        Optional<String> literal = o.string("password");
        KeystorePassword fromSecret = null;
        if (ref.isPresent()) {
            String name = ref.get().requiredString("name");
            String key = ref.get().requiredString("key");
            ref.get().done();
            fromSecret = wrapGet(o, "passwordSecretRef", () -> KeystorePassword.fromSecret(name, key));
        }
        if (fromSecret != null && literal.isPresent()) {
            throw o.error("password", "passwordSecretRef and password are mutually exclusive: keep one");
        }
        if (!create) {
            return Optional.empty();
        }
        if (fromSecret != null) {
            return Optional.of(fromSecret);
        }
        if (literal.isEmpty()) {
            throw o.error("create", "a " + format + " keystore needs passwordSecretRef or password: set one");
        }
        return Optional.of(wrapGet(o, "password", () -> KeystorePassword.literal(literal.get().toCharArray())));
    }
}
