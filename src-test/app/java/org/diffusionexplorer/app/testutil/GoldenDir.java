package org.diffusionexplorer.app.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds ../shared/golden like the model tests' Golden does: -Dgolden.dir if it exists, else up from here. */
public final class GoldenDir {
    private GoldenDir() {
    }

    public static Path dir() {
        String prop = System.getProperty("golden.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("shared/golden"))) return p.resolve("shared/golden");
        }
        throw new IllegalStateException("shared/golden not found above " + here + " (set -Dgolden.dir)");
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }
}
