package dev.autocert4j.manifests;

import java.time.Duration;
import java.util.function.Supplier;

/** Turns a core builder's configuration error into a {@link ManifestException} that names the field. */
final class Fields {
    private Fields() {
    }

    /** Runs a core builder call, turning its configuration error into one that names the field. */
    static void wrap(YamlObject o, String key, Runnable call) {
        try {
            call.run();
        } catch (ManifestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw o.error(key, e.getMessage());
        }
    }

    /** As {@link #wrap}, for a call that returns what it built. */
    static <T> T wrapGet(YamlObject o, String key, Supplier<T> call) {
        try {
            return call.get();
        } catch (ManifestException e) {
            throw e;
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw o.error(key, e.getMessage());
        }
    }

    static Duration duration(YamlObject o, String key, String text) {
        Duration d = GoDuration.parse(text);
        if (d == null) {
            throw o.error(key, "'" + text + "' is not a duration: write it as cert-manager does, e.g. 2160h, 720h or 1h30m");
        }
        return d;
    }
}
