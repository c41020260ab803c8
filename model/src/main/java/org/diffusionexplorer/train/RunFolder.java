package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.io.StepFiles;

/** The layout of a run folder: config.json, metrics.csv, checkpoints/, samples/ and (after --init-from) init_from.json. */
public record RunFolder(Path dir) {
    public static final String CONFIG = RunConfig.FILE;
    /** Where a run started with --init-from came from. */
    public static final String INIT_FROM = "init_from.json";

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
        return samples().resolve(StepFiles.SAMPLE_GRIDS.name(step));
    }

    public CheckpointStore checkpoints(int keep) {
        return new CheckpointStore(dir, keep);
    }

    /** A folder holding a run (it has a config.json). */
    public boolean isRun() {
        return Files.isRegularFile(config());
    }

    /**
     * True when the folder is absent or empty, i.e. a new run may start there. The lock file alone
     * (left by a start that failed) does not count: it holds no work.
     */
    public boolean isEmpty() throws IOException {
        if (!Files.exists(dir)) return true;
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.allMatch(p -> p.getFileName().toString().equals(RunLock.FILE));
        }
    }

    /**
     * Refuses, in one line, a run whose files are not what they should be: config.json and
     * metrics.csv regular files (a link to one is fine), checkpoints/ and samples/ folders. A
     * metrics.csv linked to /dev/zero would otherwise be read without end, a directory in its
     * place fail deep inside with only "Is a directory".
     */
    public void checkFiles() {
        for (Path f : new Path[] {config(), metrics()}) {
            if (!Files.exists(f) && !Files.isSymbolicLink(f)) continue;
            if (Files.isDirectory(f)) throw new RunException(f + " is a directory, not a file; move it out of the run folder");
            if (!Files.isRegularFile(f)) {
                throw new RunException(f + " is not a regular file (a device, a FIFO or a link to nothing); "
                        + "a run folder holds only regular files");
            }
        }
        for (Path d : new Path[] {CheckpointStore.folderOf(dir), samples()}) {
            if (Files.exists(d) && !Files.isDirectory(d)) throw new RunException(d + " is a file, not a folder; move it out of the run folder");
        }
    }

    /**
     * Refuses a run folder inside its own data folder (compared as real paths, so links and ".."
     * do not hide it): its sample grids would become training images.
     */
    public void checkOutsideData(String dataDir) throws IOException {
        if (dataDir == null || dataDir.isBlank() || Datasets.BUNDLED.contains(dataDir.strip().toLowerCase(java.util.Locale.ROOT))) return;
        Path data = Path.of(dataDir);
        if (!Files.isDirectory(data)) return; // opening the data says what is wrong with it
        Path realData = data.toRealPath();
        if (realPath(dir).startsWith(realData)) {
            throw new RunException("the run folder " + dir + " lies inside its data folder " + dataDir
                    + ": its sample grids would become training images; choose a folder outside " + dataDir);
        }
    }

    /** The real path of {@code p}, which need not exist: its nearest existing ancestor resolved, the rest appended. */
    private static Path realPath(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path rest = Path.of("");
        Path at = abs;
        while (at != null && !Files.exists(at)) {
            rest = at.getFileName().resolve(rest);
            at = at.getParent();
        }
        return at == null ? abs : at.toRealPath().resolve(rest);
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
