package dev.autocert4j.store.file;

import java.nio.file.Path;

/** Damaged content found while reading: which file, and what is wrong with it (never key material). */
final class Damage extends Exception {
    private static final long serialVersionUID = 1L;

    final transient Path file;

    Damage(Path file, String what, Throwable cause) {
        super(what, cause, false, false);
        this.file = file;
    }

    String describe() {
        return "Damaged store file " + file + ": " + getMessage();
    }
}
