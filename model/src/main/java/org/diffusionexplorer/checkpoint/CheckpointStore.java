package org.diffusionexplorer.checkpoint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.io.StepFiles;

/** The checkpoints folder of a run: numbered files, the last {@code keep} kept, newest readable one found on resume. */
public final class CheckpointStore {
    private final Path dir;
    private final int keep;

    public CheckpointStore(Path runDir, int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep: at least one checkpoint must be kept, got " + keep);
        this.dir = folderOf(runDir);
        this.keep = keep;
    }

    /** A run's checkpoints folder, whether or not a store is open on it. */
    public static Path folderOf(Path runDir) {
        return runDir.resolve("checkpoints");
    }

    public Path dir() {
        return dir;
    }

    public Path fileFor(long step) {
        return dir.resolve(StepFiles.CHECKPOINTS.name(step));
    }

    /** Writes atomically, then removes the oldest beyond {@code keep}; the new file is written before any is deleted. */
    public Path save(Checkpoint c) throws IOException {
        Path f = fileFor(c.step());
        c.write(f);
        List<Path> all = list();
        for (int i = 0; i < all.size() - keep; i++) Files.deleteIfExists(all.get(i));
        return f;
    }

    /**
     * Deletes the temporary files of writes that never finished (a process killed between creating
     * its ".tmp-PID-..." file and renaming it); only the process that owns the run (holds its
     * {@link org.diffusionexplorer.train.RunLock}) may call this, as it removes them whatever their pid.
     * Returns how many were removed.
     */
    public int removeUnfinishedWrites() throws IOException {
        if (!Files.isDirectory(dir)) return 0;
        List<Path> stale;
        try (Stream<Path> s = Files.list(dir)) {
            stale = s.filter(p -> {
                String n = p.getFileName().toString();
                // the second form is the temporary name of earlier versions
                return AtomicFiles.isTempName(n) || n.startsWith(".step-") && n.endsWith(".tmp");
            }).toList();
        }
        for (Path p : stale) Files.deleteIfExists(p);
        return stale.size();
    }

    /** Checkpoint files, oldest first (by step number, not by file time). */
    public List<Path> list() throws IOException {
        return StepFiles.CHECKPOINTS.list(dir);
    }

    /**
     * The newest checkpoint that reads; damaged newer ones are reported to {@code warn} and passed over,
     * so a crash during an unlucky write never strands a run.
     */
    public Optional<Checkpoint> latest(Consumer<String> warn) throws IOException {
        List<Path> all = list();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(Checkpoint.read(all.get(i)));
            } catch (CheckpointException e) {
                warn.accept("skipping " + e.getMessage());
            }
        }
        return Optional.empty();
    }
}
