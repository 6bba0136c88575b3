/**
 * The project's own test helpers, not published: secrets that tests register, and the scan that
 * fails the build when one shows up in test output.
 */
module dev.autocert4j.testing.support {
    exports dev.autocert4j.testing.support;
}
