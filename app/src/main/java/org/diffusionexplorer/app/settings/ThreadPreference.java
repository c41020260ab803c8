package org.diffusionexplorer.app.settings;

import static org.diffusionexplorer.runtime.NativeRuntime.THREADS_ENV;
import static org.diffusionexplorer.runtime.NativeRuntime.THREADS_PROPERTY;

/**
 * The stored thread count reaches ND4J only at start: NativeRuntime sizes the native pools once, from
 * -Ddiffusion.threads, before the first ND4J call. A count given for this launch (the property or
 * DIFFUSION_THREADS) wins over the stored one.
 */
public final class ThreadPreference {
    private static volatile String source = "automatic";

    private ThreadPreference() {
    }

    /** What chose the thread count of this run: the command line, the preferences or the automatic default. */
    public static String source() {
        return source;
    }

    /** Call before NativeRuntime.configure(). Returns what decides the count, in words. */
    public static String applyAtLaunch(SettingsSnapshot stored) {
        if (givenForThisLaunch()) {
            source = "-D" + THREADS_PROPERTY + " or " + THREADS_ENV;
        } else if (stored.threads() > 0) {
            System.setProperty(THREADS_PROPERTY, Integer.toString(stored.threads()));
            source = "preferences";
        }
        return source;
    }

    static boolean givenForThisLaunch() {
        String p = System.getProperty(THREADS_PROPERTY);
        String e = System.getenv(THREADS_ENV);
        return (p != null && !p.isBlank()) || (e != null && !e.isBlank());
    }
}
