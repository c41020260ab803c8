package org.diffusionexplorer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.data.ImageDataset;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.models.ReferenceCheckpoint;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * Opening a {@link TrainingRun}: a new run in an empty folder, a new run from another run's
 * checkpoint (--init-from), or an existing run resumed from its newest checkpoint. Each takes the
 * folder's {@link RunLock} first and refuses, in one line naming the folder, what would lose work:
 * a folder that is not empty, a run inside its own data, a checkpoint of another configuration.
 */
public final class RunOpening {
    private RunOpening() {}

    /**
     * Starts a new run in {@code dir} (absent or empty). A class-conditional config with
     * num_classes unset takes the dataset's class count.
     */
    public static TrainingRun create(Path dir, RunConfig cfg) throws IOException {
        RunFolder folder = new RunFolder(dir);
        if (Files.isDirectory(dir)) RunLock.refuseIfHeld(dir); // "being trained" says more than "not empty"
        refuseUnlessEmpty(folder);
        folder.checkOutsideData(cfg.data().dataDir());
        ImageDataset ds = openData(cfg);
        cfg = resolveClasses(cfg, ds);
        try {
            Files.createDirectories(dir);
        } catch (java.nio.file.FileSystemException e) {
            throw new RunException("cannot create the run folder " + dir + ": " + org.diffusionexplorer.io.Failures.reason(e));
        }
        RunLock lock = RunLock.acquire(dir);
        try {
            refuseUnlessEmpty(folder); // again under the lock: another process may have started a run here meanwhile
            AtomicFiles.writeString(folder.config(), cfg.toJson());
            return new TrainingRun(folder, cfg, ds, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static void refuseUnlessEmpty(RunFolder folder) throws IOException {
        Path dir = folder.dir();
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new RunException(dir + " is a file, not a folder: choose a new folder for the run");
        if (!folder.isEmpty()) {
            throw new RunException(dir + (folder.isRun() ? " already holds a run: continue it with --resume " + dir
                    : " is not empty: choose a new folder for the run"));
        }
    }

    /**
     * Starts a new run in {@code dir} from another run's newest checkpoint (or a checkpoint file):
     * its weights, EMAs, AdamW state and step count carry over, as the reference's
     * {@code --resume_checkpoint} does, so a linear lr anneal counts from the source's step. The
     * model, diffusion and data shape must match; training settings may differ (e.g. a longer
     * anneal). The source's metrics rows come along, the origin is recorded in init_from.json and
     * the starting point is saved at once, so a kill before the first save resumes from there.
     */
    public static TrainingRun createFrom(Path dir, RunConfig cfg, Path source, Consumer<String> warn) throws IOException {
        Checkpoint c;
        RunConfig theirs;
        Path sourceMetrics = null;
        if (Files.isDirectory(source)) {
            RunWeights w = newestWeights(source, RunWeights.MODEL, warn);
            c = w.checkpoint();
            theirs = w.config();
            sourceMetrics = new RunFolder(source).metrics();
        } else {
            RunWeights w = RunWeights.fromCheckpoint(source, RunWeights.MODEL);
            c = w.checkpoint();
            theirs = w.config();
        }
        // an unconditional source may start a class-conditional run: its classes are checked once the data is open
        boolean addLabels = theirs.model().numClasses() == 0 && cfg.training().classCond();
        List<String> clash = cfg.differences(theirs).stream()
                .filter(d -> d.startsWith("model.") || d.startsWith("diffusion.") || d.startsWith("data.image_size")
                        || d.startsWith("data.channels"))
                .filter(d -> !(addLabels && d.startsWith("model.num_classes")))
                .toList();
        if (!clash.isEmpty()) {
            throw new RunException(source + " was trained with another model (" + String.join("; ", clash)
                    + "); --init-from needs the same model, diffusion and image size");
        }
        boolean existed = Files.exists(dir);
        TrainingRun run = create(dir, cfg);
        try {
            if (sourceMetrics != null && Files.isRegularFile(sourceMetrics)) {
                Files.copy(sourceMetrics, run.folder().metrics(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                run.metricsLog().truncateAfter(c.step());
            }
            if (addLabels) { // the clash check left only num_classes differing; create() took it from the data
                c = ConditionalStart.withZeroLabels(c, run.config().model().numClasses(), run.config().model().timeEmbedDim());
                warn.accept("the unconditional weights of " + source + " start a class-conditional model: its "
                        + run.config().model().numClasses() + " class embeddings start at zero");
            }
            run.restore(c);
            ObjectNode origin = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            origin.put("init_from", source.toAbsolutePath().normalize().toString());
            origin.put("step", c.step());
            origin.put("wall_seconds", c.meta().path("wall_seconds").asDouble(0));
            AtomicFiles.writeString(dir.resolve(RunFolder.INIT_FROM), origin.toPrettyString() + "\n");
            run.saveCheckpoint();
        } catch (IOException | RuntimeException e) {
            run.close();
            // the folder was absent or empty: take back what this start wrote, so a retry is not refused
            try {
                new RunFolder(dir).clearNewRun(existed);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup); // the cause the user must see stays the first one
            }
            throw e;
        }
        return run;
    }

    /** As {@link #resume(Path, RunConfig, ResumeChanges, Consumer)} with no changes. */
    public static TrainingRun resume(Path dir, RunConfig expected, Consumer<String> warn) throws IOException {
        return resume(dir, expected, ResumeChanges.NONE, warn);
    }

    /**
     * Continues the run in {@code dir} from its newest readable checkpoint (from step 0 when it has
     * none), first applying {@code changes} to its training settings (written to config.json and
     * recorded in config_history.json). {@code expected}, when given, must equal the run's config; a
     * checkpoint written under another configuration is refused.
     */
    public static TrainingRun resume(Path dir, RunConfig expected, ResumeChanges changes, Consumer<String> warn) throws IOException {
        RunFolder folder = new RunFolder(dir);
        if (!folder.isRun()) throw new RunException(dir + " is not a run folder (no " + RunFolder.CONFIG + ")");
        RunLock lock = RunLock.acquire(dir);
        TrainingRun run = null;
        try {
            run = resumeLocked(folder, expected, changes, warn, lock);
            return run;
        } finally {
            if (run == null) lock.close();
        }
    }

    private static TrainingRun resumeLocked(RunFolder folder, RunConfig expected, ResumeChanges changes, Consumer<String> warn,
            RunLock lock) throws IOException {
        Path dir = folder.dir();
        folder.checkFiles();
        RunConfig cfg = RunConfig.read(folder.config());
        if (expected != null && expected.training().classCond() && expected.model().numClasses() == 0) {
            expected = expected.withNumClasses(cfg.model().numClasses()); // was taken from the dataset at creation
        }
        if (expected != null && !cfg.differences(expected).isEmpty()) {
            throw new RunException(dir + " holds a run with another configuration (" + String.join("; ", cfg.differences(expected))
                    + "); resume it without --config/--preset or start a new folder");
        }
        CheckpointStore store = folder.checkpoints(cfg.training().keepCheckpoints());
        int unfinished = store.removeUnfinishedWrites();
        if (unfinished > 0) warn.accept("removed " + unfinished + " unfinished checkpoint write(s) of an interrupted run");
        Optional<Checkpoint> ckpt = store.latest(warn);
        if (ckpt.isPresent()) checkSameRun(cfg, ckpt.get(), dir);
        folder.checkOutsideData(cfg.data().dataDir());
        RunConfig changed = cfg.withTraining(changes.apply(cfg.training()));
        TrainingRun run = new TrainingRun(folder, changed, openData(changed), lock);
        try {
            if (ckpt.isPresent()) run.restore(ckpt.get());
            run.metricsLog().truncateAfter(run.step());
            if (!changed.equals(cfg)) {
                AtomicFiles.writeString(folder.config(), changed.toJson());
                ConfigHistory.record(folder, run.step(), cfg.differences(changed));
            }
        } catch (IOException | RuntimeException e) {
            run.close();
            throw e;
        }
        return run;
    }

    /**
     * The newest readable checkpoint of a run folder as one set of weights ({@code ema} as in
     * {@link RunWeights#select}), or of a folder of the reference's .pt checkpoints
     * ({@link ReferenceCheckpoint}). It lives here, not in RunWeights, because it reads the run's
     * folder and checks the checkpoint belongs to the run as a resume does ({@link #checkSameRun}).
     */
    public static RunWeights newestWeights(Path runDir, String ema, Consumer<String> warn) throws IOException {
        RunFolder folder = new RunFolder(runDir);
        if (!Files.isDirectory(runDir)) throw new RunException("no such run folder: " + runDir);
        if (ReferenceCheckpoint.isReferenceRun(runDir)) return ReferenceCheckpoint.newestIn(runDir, ema);
        if (!folder.isRun()) throw new RunException(runDir + " is not a run folder (no " + RunFolder.CONFIG + ")");
        RunConfig cfg = RunConfig.read(folder.config());
        Checkpoint c = folder.checkpoints(cfg.training().keepCheckpoints()).latest(warn)
                .orElseThrow(() -> new RunException(runDir + " has no readable checkpoint yet"));
        checkSameRun(cfg, c, runDir);
        return RunWeights.select(cfg, c, ema, folder.checkpoints(1).fileFor(c.step()));
    }

    static void checkSameRun(RunConfig cfg, Checkpoint c, Path where) {
        JsonNode stored = c.meta().get("config");
        if (stored == null || !stored.isObject()) {
            throw new RunException("checkpoint of step " + c.step() + " in " + where + " records no run config; it cannot be resumed");
        }
        RunConfig theirs;
        try {
            theirs = RunConfig.fromJson((ObjectNode) stored);
        } catch (InvalidConfigException e) {
            throw new RunException("checkpoint of step " + c.step() + " in " + where + " has an unusable config: " + e.getMessage());
        }
        // a setting that a resume changed (ResumeChanges) differs from older checkpoints: fine when the
        // run's config_history.json records that change, a hand edit of config.json stays refused
        List<String> diff = cfg.differences(theirs).stream()
                .filter(d -> !(ResumeChanges.isResumable(d) && ConfigHistory.explains(where, d, c.step()))).toList();
        if (!diff.isEmpty()) {
            throw new RunException("checkpoint of step " + c.step() + " in " + where + " belongs to a different run ("
                    + String.join("; ", diff) + ")");
        }
    }

    private static ImageDataset openData(RunConfig cfg) {
        if (cfg.data().dataDir().isEmpty()) throw new InvalidConfigException("data.data_dir", "no training data given (a folder, mnist or emoji)");
        return Datasets.open(cfg.data().dataDir(), cfg.data().imageSize(), cfg.data().channels(), cfg.training().classCond());
    }

    private static RunConfig resolveClasses(RunConfig cfg, ImageDataset ds) {
        if (!cfg.training().classCond()) return cfg;
        int k = ds.classNames().size();
        if (k == 0) throw new InvalidConfigException("training.class_cond", ds.name() + " has no class labels");
        if (cfg.model().numClasses() == 0) return cfg.withNumClasses(k);
        if (cfg.model().numClasses() != k) {
            throw new InvalidConfigException("model.num_classes", "is " + cfg.model().numClasses() + " but " + ds.name() + " has " + k + " classes");
        }
        return cfg;
    }
}
