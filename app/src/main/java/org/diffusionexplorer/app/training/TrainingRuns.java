package org.diffusionexplorer.app.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.data.DatasetOptions;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.train.MetricsLog;
import org.diffusionexplorer.train.RunFolder;
import org.diffusionexplorer.train.RunLock;
import org.diffusionexplorer.train.RunOpening;
import org.diffusionexplorer.train.TrainingRun;

/**
 * What the training pane asks of the model side: presets, data checks, run folders under a runs root,
 * and {@link TrainingSession}s over {@link TrainingRun}. (It was an interface with this one
 * implementation; no test replaced it, so it is a class.) Calls marked slow run on a background task.
 */
public final class TrainingRuns {
    /** Overrides where new runs go (tests point it at a temporary folder). */
    public static final String RUNS_PROPERTY = "diffusion.runsDir";
    static final List<String> PRESETS = List.of("lesson", "tiny", "A", "B");
    /** The lesson preset's budget: the length of a lesson's training slot; its step target never binds. */
    static final double LESSON_MINUTES = 10;
    /** The lesson preset's step target: large enough that its minutes end the run (RunStats then shows no target). */
    public static final long LESSON_STEPS = 100_000;
    /** Steps a new run is set to train: enough to see digits form with tiny, a start for A and B. */
    private static final long DEFAULT_STEPS = 2000;
    /** tiny draws no grids of its own; the explorer is about watching them, so it asks every 50 steps */
    private static final int TINY_SAMPLE_INTERVAL = 50;
    /** DDIM steps of a grid: two grids cost 2 x this many forward passes, taken from training time */
    private static final int GRID_DDIM_STEPS = 25;

    /** The run presets offered, in order. */
    public List<String> presets() {
        return PRESETS;
    }

    /** A preset's fields, as the pane starts from them. */
    public TrainingSetup preset(String name) {
        boolean lesson = name.equals("lesson");
        TrainingSetup s = TrainingSetup.of(name, RunConfig.preset(name), lesson ? LESSON_STEPS : DEFAULT_STEPS);
        if (lesson) s = s.withMinutes(LESSON_MINUTES);
        return s.withSamples(s.sampleInterval() == 0 ? TINY_SAMPLE_INTERVAL : s.sampleInterval(),
                Math.min(s.sampleSteps(), GRID_DDIM_STEPS));
    }

    /** Slow-ish: a run config file (config.json of a run, or the reference's flags) as a base for a new run. */
    public TrainingSetup readConfig(Path file) throws IOException {
        return TrainingSetup.of(file.getFileName().toString(), RunConfig.read(file), DEFAULT_STEPS);
    }

    /** Slow: opens a dataset as a run would and says how many images it holds; a bad one throws with the reason. */
    public int checkData(String nameOrFolder, int size, int channels) {
        return Datasets.open(nameOrFolder, DatasetOptions.of(size, channels)).size();
    }

    /** Where new runs go when the user did not choose a folder. */
    public Path runsRoot() {
        String p = System.getProperty(RUNS_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        return Path.of(System.getProperty("user.home"), "DiffusionExplorer", "runs");
    }

    /** A new, not yet existing folder under {@link #runsRoot()} named by date and time. */
    public Path newRunDir() {
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss"));
        Path dir = runsRoot().resolve(name);
        for (int i = 2; Files.exists(dir); i++) dir = runsRoot().resolve(name + "-" + i);
        return dir;
    }

    /** Slow: creates a run in {@code dir} (absent or empty). Refused configs and folders throw with the reason. */
    public TrainingSession create(Path dir, TrainingSetup setup) throws IOException {
        RunConfig cfg = setup.toRunConfig();
        NativeRuntime.configure();
        TrainingRun run = RunOpening.create(dir, cfg);
        return new TrainingSession(run, List.of(), List.of());
    }

    /**
     * Whether {@code dir} is a run that another process trains now (it holds the run's lock): such a
     * run is followed, not opened. Asked without taking the lock (see RunLock.heldByWriter).
     */
    public boolean trainedElsewhere(Path dir) {
        return Files.isDirectory(dir) && new RunFolder(dir).isRun() && RunLock.heldByWriter(dir);
    }

    /** Whether two paths name one folder (links resolved where they exist). */
    static boolean sameFolder(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** Slow: opens a run folder to continue it from its newest readable checkpoint. */
    public TrainingSession open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new RunException("no such run folder: " + dir);
        RunFolder folder = new RunFolder(dir);
        if (!folder.isRun()) throw new RunException(dir + " is not a run folder (it has no " + RunFolder.CONFIG + ")");
        // another process writing this run owns it: resuming here too would mix two histories (TrainingRun.resume
        // refuses as well; asking first spares reading every checkpoint only to be refused)
        RunLock.refuseIfHeld(dir);
        RunConfig cfg = RunConfig.read(folder.config());
        // Resuming from no readable checkpoint would start over at step 0 and cut metrics.csv: refuse instead.
        CheckpointStore store = folder.checkpoints(cfg.training().keepCheckpoints());
        List<String> warnings = new ArrayList<>();
        if (!store.list().isEmpty() && store.latest(warnings::add).isEmpty()) {
            throw new RunException(dir + " has no readable checkpoint: " + String.join("; ", warnings));
        }
        NativeRuntime.configure();
        TrainingRun run = RunOpening.resume(dir, null, w -> { });
        List<String> notes = new ArrayList<>();
        for (String w : warnings) notes.add("An older checkpoint was used: " + w);
        return new TrainingSession(run, MetricsLog.read(folder.metrics()), notes);
    }
}
