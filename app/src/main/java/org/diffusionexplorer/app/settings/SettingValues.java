package org.diffusionexplorer.app.settings;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Checks what a user typed (or a settings file holds) for each field; a bad value names its field. */
public final class SettingValues {
    public static final String RUN_FOLDER = "Last run folder";
    public static final String THEME = "Theme";
    public static final String THREADS = "Thread count";
    /** More native threads than this is a typo, not a machine. */
    public static final int MAX_THREADS = 256;

    private SettingValues() {
    }

    /** Empty or "auto" is 0 (automatic: every core); else a whole number from 1 to {@value #MAX_THREADS}. */
    public static int threads(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty() || t.equalsIgnoreCase("auto")) return 0;
        try {
            return threads(Integer.parseInt(t));
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(THREADS, "'" + t + "' is not a whole number (1 to " + MAX_THREADS
                    + ", or empty for automatic)");
        }
    }

    public static int threads(int n) {
        if (n < 0 || n > MAX_THREADS) {
            throw new InvalidSettingException(THREADS, n + " is outside 1 to " + MAX_THREADS + " (0 or empty: automatic)");
        }
        return n;
    }

    /** Empty is "none yet"; else an existing folder. */
    public static Path runFolder(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) return null;
        Path p;
        try {
            p = Path.of(t).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new InvalidSettingException(RUN_FOLDER, "'" + t + "' is not a path");
        }
        if (!Files.isDirectory(p)) throw new InvalidSettingException(RUN_FOLDER, p + " is not an existing folder");
        return p;
    }
}
