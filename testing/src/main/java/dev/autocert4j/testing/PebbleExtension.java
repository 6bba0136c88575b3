package dev.autocert4j.testing;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that runs one {@link PebbleServer} for all tests of a class: started before
 * the first test, stopped after the last. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static PebbleExtension pebble = PebbleExtension.builder().certificateValidity(Duration.ofHours(1)).build();
 *
 * @Test
 * void issues(PebbleServer server) { ... }   // or pebble.server()
 * }</pre>
 *
 * <p>Test methods, lifecycle methods and constructors may declare a {@link PebbleServer}
 * parameter. {@code @Nested} classes share the enclosing class's server. Thread-safe.
 *
 * <p>The {@link PebbleMode} is the one set with {@link Builder#mode(PebbleMode)} or
 * {@code AUTOCERT4J_PEBBLE}; when neither is set, the local binaries if installed, else
 * containers if {@code autocert4j-testing-testcontainers} is present and a Docker API answers.
 * When Pebble can run in neither way, the test class is skipped (aborted) with a message that
 * names both ways to get it; a mode that was asked for but cannot run fails instead.
 */
public final class PebbleExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

    private final PebbleServer.Builder serverBuilder;
    private PebbleServer server;
    private int depth;

    private PebbleExtension(PebbleServer.Builder serverBuilder) {
        this.serverBuilder = serverBuilder;
    }

    /**
     * Returns a new builder of the extension, with the settings of {@link PebbleServer#builder()}.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The running server.
     *
     * @return the server started for the current test class
     * @throws IllegalStateException outside the test class's lifecycle, or if the extension is not
     *     registered on a static field
     */
    public synchronized PebbleServer server() {
        if (server == null) {
            throw new IllegalStateException("Pebble is not running: register the PebbleExtension on a"
                    + " static field with @RegisterExtension and use it inside the test class");
        }
        return server;
    }

    /**
     * Starts the server before the first test of the outermost class that uses it, or skips the
     * class when Pebble can run neither locally nor in containers and no mode was asked for.
     *
     * @param context the JUnit context
     * @throws org.opentest4j.TestAbortedException when Pebble cannot run here
     */
    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (depth == 0) {
            PebbleModeChoice choice = serverBuilder.choice();
            Assumptions.assumeTrue(choice.mode().isPresent(), choice::unavailable);
            server = serverBuilder.start(choice.mode().orElseThrow());
        }
        depth++;
    }

    /**
     * Stops the server after the last test of the outermost class that uses it.
     *
     * @param context the JUnit context
     */
    @Override
    public synchronized void afterAll(ExtensionContext context) {
        // depth is 0 here when beforeAll skipped the class or failed to start the server.
        if (depth > 0 && --depth == 0 && server != null) {
            try {
                server.close();
            } finally {
                server = null;
            }
        }
    }

    /**
     * Supports parameters of type {@link PebbleServer}.
     *
     * @param parameterContext the parameter
     * @param extensionContext the JUnit context
     * @return whether the parameter is a {@link PebbleServer}
     */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == PebbleServer.class;
    }

    /**
     * Resolves a {@link PebbleServer} parameter to the running server.
     *
     * @param parameterContext the parameter
     * @param extensionContext the JUnit context
     * @return the running server
     */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return server();
    }

    /**
     * Configures a {@link PebbleExtension}; the settings are those of {@link PebbleServer.Builder}
     * and follow the same rules. Not thread-safe.
     */
    public static final class Builder {

        private final PebbleServer.Builder server = PebbleServer.builder();

        private Builder() {
        }

        /**
         * See {@link PebbleServer.Builder#vaNoSleep(boolean)}.
         *
         * @param noSleep {@code true} (the default) to validate without the random sleep
         * @return this builder
         */
        public Builder vaNoSleep(boolean noSleep) {
            return apply(b -> b.vaNoSleep(noSleep));
        }

        /**
         * See {@link PebbleServer.Builder#nonceRejectPercent(int)}.
         *
         * @param percent 0 to 100
         * @return this builder
         */
        public Builder nonceRejectPercent(int percent) {
            return apply(b -> b.nonceRejectPercent(percent));
        }

        /**
         * See {@link PebbleServer.Builder#authzReuse(int)}.
         *
         * @param percent 0 to 100
         * @return this builder
         */
        public Builder authzReuse(int percent) {
            return apply(b -> b.authzReuse(percent));
        }

        /**
         * See {@link PebbleServer.Builder#certificateValidity(Duration)}.
         *
         * @param validity a positive whole number of seconds
         * @return this builder
         */
        public Builder certificateValidity(Duration validity) {
            return apply(b -> b.certificateValidity(validity));
        }

        /**
         * See {@link PebbleServer.Builder#externalAccountBinding(String, String)}.
         *
         * @param keyId the EAB key identifier
         * @param base64UrlHmacKey the HMAC key, unpadded base64url
         * @return this builder
         */
        public Builder externalAccountBinding(String keyId, String base64UrlHmacKey) {
            return apply(b -> b.externalAccountBinding(keyId, base64UrlHmacKey));
        }

        /**
         * See {@link PebbleServer.Builder#mode(PebbleMode)}.
         *
         * @param mode how to run Pebble
         * @return this builder
         */
        public Builder mode(PebbleMode mode) {
            return apply(b -> b.mode(mode));
        }

        /**
         * See {@link PebbleServer.Builder#images(String, String)}.
         *
         * @param pebbleImage the Pebble image
         * @param challTestSrvImage the pebble-challtestsrv image
         * @return this builder
         */
        public Builder images(String pebbleImage, String challTestSrvImage) {
            return apply(b -> b.images(pebbleImage, challTestSrvImage));
        }

        /**
         * See {@link PebbleServer.Builder#startTimeout(Duration)}.
         *
         * @param timeout a positive duration
         * @return this builder
         */
        public Builder startTimeout(Duration timeout) {
            return apply(b -> b.startTimeout(timeout));
        }

        /**
         * Builds the extension; the server starts when the test class starts.
         *
         * @return the extension, to be stored in a static {@code @RegisterExtension} field
         */
        public PebbleExtension build() {
            return new PebbleExtension(server);
        }

        private Builder apply(Consumer<PebbleServer.Builder> setting) {
            requireNonNull(setting, "setting").accept(server);
            return this;
        }
    }
}
