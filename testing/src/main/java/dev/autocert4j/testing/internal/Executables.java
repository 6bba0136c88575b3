package dev.autocert4j.testing.internal;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the executables the test servers run (pebble, named) on a search path. */
public final class Executables {

    private Executables() {
    }

    /**
     * @param executable the file name, e.g. {@code pebble}
     * @param path a search path in the {@code PATH} format, or {@code null}
     * @return the first regular, executable file of that name in {@code path}
     */
    public static Optional<Path> findOnPath(String executable, String path) {
        if (path == null) {
            return Optional.empty();
        }
        for (String directory : path.split(File.pathSeparator)) {
            if (directory.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(directory, executable);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
