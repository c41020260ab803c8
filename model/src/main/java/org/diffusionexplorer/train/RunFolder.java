package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.diffusionexplorer.checkpoint.CheckpointStore;

/** The layout of a run folder: config.json, metrics.csv, checkpoints/ and samples/. */
public record RunFolder(Path dir) {
    public static final String CONFIG = "config.json";

    public Path config() {
        return dir.resolve(CONFIG);
    }

    public Path metrics() {
        return dir.resolve("metrics.csv");
    }

    public Path samples() {
        return dir.resolve("samples");
    }

    public Path sampleGrid(long step) {
        return samples().resolve(String.format("step-%08d.png", step));
    }

    public CheckpointStore checkpoints(int keep) {
        return new CheckpointStore(dir, keep);
    }

    /** A folder holding a run (it has a config.json). */
    public boolean isRun() {
        return Files.isRegularFile(config());
    }

    /** True when the folder is absent or empty, i.e. a new run may start there. */
    public boolean isEmpty() throws IOException {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        }
    }

    /**
     * Removes everything below the folder, and the folder itself unless it {@code existed} before:
     * only for a start that failed in a folder that was absent or empty, so all of it is that start's.
     */
    void clearNewRun(boolean existed) throws IOException {
        if (!Files.isDirectory(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir) || !existed) Files.deleteIfExists(p);
            }
        }
    }
}
