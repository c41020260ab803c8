package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.data.DatasetOptions;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.train.RunConfig;
import org.diffusionexplorer.train.RunException;
import org.diffusionexplorer.train.RunFolder;
import org.diffusionexplorer.train.RunLock;
import org.diffusionexplorer.train.TrainingRun;

/** The training facade over {@link TrainingRun}: run folders under a runs root, one thread per session. */
public final class DefaultTrainingFacade implements TrainingFacade {
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

    private final Executor fx;

    /** @param fx the hop to the FX thread for session events (Platform::runLater in the app) */
    public DefaultTrainingFacade(Executor fx) {
        this.fx = fx;
    }

    @Override
    public List<String> presets() {
        return PRESETS;
    }

    @Override
    public TrainingSetup preset(String name) {
        boolean lesson = name.equals("lesson");
        TrainingSetup s = TrainingSetup.of(name, RunConfig.preset(name), lesson ? LESSON_STEPS : DEFAULT_STEPS);
        if (lesson) s = s.withMinutes(LESSON_MINUTES);
        return s.withSamples(s.sampleInterval() == 0 ? TINY_SAMPLE_INTERVAL : s.sampleInterval(),
                Math.min(s.sampleSteps(), GRID_DDIM_STEPS));
    }

    @Override
    public TrainingSetup readConfig(Path file) throws IOException {
        return TrainingSetup.of(file.getFileName().toString(), RunConfig.read(file), DEFAULT_STEPS);
    }

    @Override
    public int checkData(String nameOrFolder, int size, int channels) {
        return Datasets.open(nameOrFolder, DatasetOptions.of(size, channels)).size();
    }

    @Override
    public Path runsRoot() {
        String p = System.getProperty(RUNS_PROPERTY);
        if (p != null && !p.isBlank()) return Path.of(p);
        return Path.of(System.getProperty("user.home"), "DiffusionExplorer", "runs");
    }

    @Override
    public Path newRunDir() {
        String name = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd_HH-mm-ss"));
        Path dir = runsRoot().resolve(name);
        for (int i = 2; Files.exists(dir); i++) dir = runsRoot().resolve(name + "-" + i);
        return dir;
    }

    @Override
    public TrainingSession create(Path dir, TrainingSetup setup, TrainingEvents events) throws IOException {
        RunConfig cfg = setup.toRunConfig();
        NativeRuntime.configure();
        TrainingRun run = TrainingRun.create(dir, cfg);
        return new RunSession(run, List.of(), events, fx);
    }

    @Override
    public TrainingSession open(Path dir, TrainingEvents events) throws IOException {
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
        TrainingRun run = TrainingRun.resume(dir, null, w -> { });
        RunSession s = new RunSession(run, MetricsHistory.read(folder.metrics()), events, fx);
        for (String w : warnings) s.onError("An older checkpoint was used: " + w, null);
        return s;
    }
}
