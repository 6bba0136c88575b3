/**
 * Test peers for autocert4j users: a Pebble ACME CA with pebble-challtestsrv (local binaries, or
 * containers through a {@code ContainerEngine}), and the
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

    // PebbleMode.TESTCONTAINERS: autocert4j-testing-testcontainers provides one.
    uses dev.autocert4j.testing.ContainerEngine;
}
