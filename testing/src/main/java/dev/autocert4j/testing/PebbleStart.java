package dev.autocert4j.testing;

/** Starts Pebble in the given mode, with the images and engine that mode needs. */
final class PebbleStart {

    private PebbleStart() {
    }

    /** The mode to use: {@code explicit} if set, else as {@link PebbleModeChoice} decides for this machine. */
    static PebbleModeChoice choose(PebbleMode explicit) {
        return PebbleModeChoice.choose(explicit, System.getenv(PebbleModeChoice.MODE_VARIABLE),
                PebbleLauncher::installed, ContainerEngines::reachable);
    }

    /**
     * @param pebbleImage the image set on the builder, or {@code null} for the variable or default
     * @param challTestSrvImage likewise for pebble-challtestsrv
     */
    static PebbleProcesses launch(PebbleMode mode, PebbleSettings settings, String pebbleImage,
            String challTestSrvImage) {
        return switch (mode) {
            case LOCAL -> PebbleLauncher.launch(settings);
            case TESTCONTAINERS -> ContainerPebbleLauncher.launch(settings,
                    ContainerPebbleLauncher.image(pebbleImage, System.getenv(ContainerPebbleLauncher.PEBBLE_IMAGE_VARIABLE),
                            ContainerPebbleLauncher.DEFAULT_PEBBLE_IMAGE),
                    ContainerPebbleLauncher.image(challTestSrvImage,
                            System.getenv(ContainerPebbleLauncher.CHALLTESTSRV_IMAGE_VARIABLE),
                            ContainerPebbleLauncher.DEFAULT_CHALLTESTSRV_IMAGE),
                    ContainerEngines.find().orElseThrow(() -> new IllegalStateException(ContainerEngines.MISSING)));
        };
    }
}
