package dev.autocert4j.testing.internal;

/**
 * A test server's stop action, run once: when the test closes the server, or from a JVM shutdown
 * hook if it forgets.
 */
public final class StopOnce {

    private final Runnable stop;
    private final Thread shutdownHook;
    private boolean stopped;

    private StopOnce(Runnable stop, String hookName) {
        this.stop = stop;
        this.shutdownHook = new Thread(stop, hookName);
    }

    /**
     * @param stop stops the server's processes and deletes its files
     * @param hookName the shutdown hook thread's name
     * @return the action, registered as a shutdown hook
     */
    public static StopOnce registerShutdownHook(Runnable stop, String hookName) {
        StopOnce once = new StopOnce(stop, hookName);
        Runtime.getRuntime().addShutdownHook(once.shutdownHook);
        return once;
    }

    /**
     * Removes the shutdown hook and stops, unless this ran before.
     *
     * @return whether it stopped now
     */
    public boolean stop() {
        synchronized (this) {
            if (stopped) {
                return false;
            }
            stopped = true;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        stop.run();
        return true;
    }
}
