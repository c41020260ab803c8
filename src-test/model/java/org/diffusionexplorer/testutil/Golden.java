package org.diffusionexplorer.testutil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;

/**
 * Locates the golden numbers from the reference PyTorch code: src-test/model/golden, kept in the
 * repository (see its README; model/scripts/make_golden.py regenerates them), found by walking
 * up from the working directory; -Dgolden.dir points elsewhere.
 */
public final class Golden {
    private Golden() {}

    /** Where the golden files live, relative to the project root. */
    public static final String IN_REPO = "src-test/model/golden";

    public static Path dir() {
        String prop = System.getProperty("golden.dir");
        if (prop != null && Files.isDirectory(Path.of(prop))) return Path.of(prop);
        return inRepo(IN_REPO);
    }

    /** A folder of the repository ("src-test/model/torch"), found by walking up from the working directory. */
    public static Path inRepo(String folder) {
        Path here = Path.of("").toAbsolutePath();
        for (Path p = here; p != null; p = p.getParent()) {
            Path candidate = p.resolve(folder);
            if (Files.isDirectory(candidate)) return candidate;
        }
        throw new IllegalStateException(folder + " not found above " + here + (folder.equals(IN_REPO) ? " (set -Dgolden.dir)" : ""));
    }

    /** The PyTorch .pt fixtures written by src-test/model/torch/make_pt_fixtures.py. */
    public static Path torch(String name) {
        return inRepo("src-test/model/torch").resolve(name);
    }

    public static Path file(String name) {
        return dir().resolve(name);
    }

    public static Map<String, NpyArray> npz(String name) {
        try {
            return Npz.read(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static NpyArray npy(String name) {
        try {
            return Npy.read(file(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
