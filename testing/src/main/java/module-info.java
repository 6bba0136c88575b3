/**
 * Test peers for autocert4j users: a local Pebble ACME CA with pebble-challtestsrv, and the
 * contract tests every certificate store runs.
 */
module dev.autocert4j.testing {
    requires transitive dev.autocert4j;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.pkix;
    requires org.slf4j;
    requires java.net.http;

    exports dev.autocert4j.testing;
}
