package org.diffusionexplorer.runtime;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where JavaCPP unpacks ND4J's native libraries: org.bytedeco.javacpp.cachedir, else
 * user.home/.javacpp/cache, else a folder in java.io.tmpdir. When none is writable, loading ND4J
 * ends in a 45-line ExceptionInInitializerError; this says so in one line before trying.
 */
public final class NativeCache {
    private NativeCache() {}

    /** Null when the libraries can be unpacked, else the one-line reason naming the folders. */
    public static String problem() {
        String explicit = System.getProperty("org.bytedeco.javacpp.cachedir");
        String home = System.getProperty("user.home", ""), tmp = System.getProperty("java.io.tmpdir", "");
        String cache = explicit != null ? explicit : Path.of(home, ".javacpp", "cache").toString();
        if (usable(cache) || usable(tmp)) return null;
        return "cannot unpack the native libraries: neither " + cache + (explicit != null ? " (org.bytedeco.javacpp.cachedir)" : " (in user.home)")
                + " nor " + tmp + " (java.io.tmpdir) is a writable folder; point -Dorg.bytedeco.javacpp.cachedir=DIR at one that is";
    }

    /** A writable folder, or one that can be created: its nearest existing ancestor is a writable folder. */
    private static boolean usable(String dir) {
        if (dir == null || dir.isBlank()) return false;
        try {
            Path p = Path.of(dir).toAbsolutePath();
            while (p != null && !Files.exists(p)) p = p.getParent();
            return p != null && Files.isDirectory(p) && Files.isWritable(p);
        } catch (InvalidPathException | SecurityException e) {
            return false;
        }
    }
}
