package org.diffusionexplorer.app.settings;

/**
 * The stored thread count reaches ND4J only at start: NativeRuntime sizes the native pools once, from
 * -Ddiffusion.threads, before the first ND4J call. A count given for this launch (the property or
 * DIFFUSION_THREADS) wins over the stored one.
 */
public final class ThreadPreference {
    public static final String PROPERTY = "diffusion.threads";
    public static final String ENV = "DIFFUSION_THREADS";

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
            source = "-D" + PROPERTY + " or " + ENV;
        } else if (stored.threads() > 0) {
            System.setProperty(PROPERTY, Integer.toString(stored.threads()));
            source = "preferences";
        }
        return source;
    }

    static boolean givenForThisLaunch() {
        String p = System.getProperty(PROPERTY);
        String e = System.getenv(ENV);
        return (p != null && !p.isBlank()) || (e != null && !e.isBlank());
    }
}
