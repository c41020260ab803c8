package org.diffusionexplorer.app.testutil;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the golden files like the model tests' Golden does: -Dgolden.dir if it exists, else src-test/model/golden up from here. */
public final class GoldenDir {
    private GoldenDir() {
    }

    private static final String IN_REPO = "src-test/model/golden";

    public static Path dir() {
        String prop = System.getProperty("golden.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(IN_REPO))) return p.resolve(IN_REPO);
        }
        throw new IllegalStateException(IN_REPO + " not found above " + here + " (set -Dgolden.dir)");
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    /** A PyTorch fixture of src-test/model/torch (written by torch.save through make_pt_fixtures.py). */
    public static Path torch(String name) {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("src-test/model/torch"))) return p.resolve("src-test/model/torch").resolve(name);
        }
        throw new IllegalStateException("src-test/model/torch not found above " + here);
    }
}
