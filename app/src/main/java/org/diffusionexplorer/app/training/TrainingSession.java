package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import org.diffusionexplorer.app.concurrent.FxThrottle;
import org.diffusionexplorer.train.RunConfig;
import org.diffusionexplorer.train.RunSeeds;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.train.SampleBatch;
import org.diffusionexplorer.train.Sampling;
import org.diffusionexplorer.train.StepMetrics;
import org.diffusionexplorer.train.TrainingListener;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.train.TrainingRun;
import org.diffusionexplorer.train.TrainingSettings;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A {@link TrainingRun} driven from the explorer: train() runs on the session's own thread, the
 * run's callbacks (on that thread) are collected here and handed to the view on the FX thread a few
 * times a second at most, whatever the step rate.
 */
final class RunSession implements TrainingSession, TrainingListener {
    /** FX updates at most this often: smooth enough to watch, cheap enough for a busy machine. */
    static final long UPDATE_GAP_MS = 150;
    /** RunSeeds.SAMPLES (package-private there): the raw grid starts from the EMA grid's noise. */
    private static final long SAMPLES_PURPOSE = 4;

    private final TrainingRun run;
    private final TrainingEvents events;
    private final List<LossPoint> history;
    private final ExecutorService thread;
    private final FxThrottle throttle;
    private final ConcurrentLinkedQueue<LossPoint> newPoints = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    private final AtomicReference<TrainingProgress> progress = new AtomicReference<>();
    private final AtomicReference<SampleGrids> grids = new AtomicReference<>();
    private final AtomicReference<Object[]> checkpoint = new AtomicReference<>();
    private final AtomicReference<StateChange> stateChange = new AtomicReference<>();
    private volatile TrainingState state = TrainingState.READY;
    private volatile boolean gridsWanted;
    private volatile long target;
    // smoothed on the training thread only
    private double stepsPerSecond = Double.NaN, imagesPerSecond = Double.NaN;

    RunSession(TrainingRun run, List<LossPoint> history, TrainingEvents events, Executor fx) {
        this.run = run;
        this.events = events;
        this.history = List.copyOf(history);
        this.target = run.step();
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "training-run");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // the FX thread wins where the OS honours priorities
            return t;
        });
        throttle = new FxThrottle(this::deliver, fx, UPDATE_GAP_MS);
        run.addListener(this);
    }

    // ---------------------------------------------------------------- controls (any thread)

    @Override
    public synchronized void train(long targetStep, TimeBudget budget) {
        if (state.active()) return;
        target = targetStep;
        setState(TrainingState.RUNNING, budget == null ? "training to step " + targetStep
                : String.format(java.util.Locale.ROOT, "training for %s minutes", minutes(budget)));
        thread.execute(() -> {
            try {
                run.train(targetStep, budget); // the outcome arrives through onStatus
            } catch (RuntimeException e) {
                // onError has reported it; make sure the buttons leave the running state
                if (state.active()) setState(TrainingState.FAILED, "training failed: " + e.getMessage());
            }
        });
    }

    @Override
    public void pause() {
        if (state.active()) run.pause();
    }

    @Override
    public void resume() {
        if (state.active()) run.resume();
    }

    @Override
    public void singleStep() {
        if (state.active()) run.singleStep();
    }

    @Override
    public synchronized void stop() {
        if (!state.active()) return;
        setState(TrainingState.STOPPING, "stopping after the current step...");
        run.requestStop();
    }

    @Override
    public void requestGrids() {
        if (state.active()) {
            gridsWanted = true; // served between two steps
        } else {
            thread.execute(this::drawGrids);
        }
    }

    @Override
    public void close() {
        run.requestStop();
        thread.execute(run::close);
        thread.shutdown();
    }

    @Override
    public boolean awaitClosed(long seconds) throws InterruptedException {
        return thread.awaitTermination(seconds, java.util.concurrent.TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- accessors

    @Override
    public Path dir() {
        return run.dir();
    }

    @Override
    public String summary() {
        RunConfig c = run.config();
        int size = c.model().imageSize();
        return String.format("%dx%d %s, C=%d, %,d parameters, %d diffusion steps (%s), data %s", size, size,
                c.model().inChannels() == 1 ? "grey" : "RGB", c.model().modelChannels(), run.model().parameterCount(),
                c.diffusion().diffusionSteps(), c.diffusion().noiseSchedule(), c.data().dataDir());
    }

    @Override
    public long step() {
        return run.step();
    }

    @Override
    public TrainingState state() {
        return state;
    }

    @Override
    public List<LossPoint> history() {
        return history;
    }

    // ---------------------------------------------------------------- the run's callbacks (training thread)

    @Override
    public void onStep(StepMetrics m) {
        newPoints.add(new LossPoint(m.step(), m.loss(), m.lossQ().clone()));
        if (m.seconds() > 0) stepsPerSecond = smooth(stepsPerSecond, 1.0 / m.seconds());
        imagesPerSecond = smooth(imagesPerSecond, m.imagesPerSecond());
        double eta = Double.isNaN(stepsPerSecond) ? Double.NaN : Math.max(0, m.targetStep() - m.step()) / stepsPerSecond;
        TimeBudget b = run.budget();
        long now = System.nanoTime();
        progress.set(new TrainingProgress(m.step(), m.targetStep(), imagesPerSecond, TimeBudget.secondsLeft(b, eta, now),
                b == null ? Double.NaN : b.seconds(), b == null ? Double.NaN : b.secondsLeft(now)));
        throttle.request();
        if (gridsWanted) {
            gridsWanted = false;
            drawGrids();
        }
    }

    private static String minutes(TimeBudget b) {
        double m = b.seconds() / 60;
        return m == Math.rint(m) ? Long.toString((long) m) : String.format(java.util.Locale.ROOT, "%.1f", m);
    }

    /** Exponential average, so one slow step (a checkpoint, a grid) does not make the ETA jump. */
    private static double smooth(double old, double now) {
        if (!Double.isFinite(now)) return old;
        return Double.isNaN(old) ? now : 0.9 * old + 0.1 * now;
    }

    @Override
    public void onSamples(SampleBatch ema) {
        // The run has just drawn these from its EMA weights and put the raw weights back: the same
        // sampler from the same noise on the raw model shows what the averaging adds.
        RunConfig c = run.config();
        TrainingSettings ts = c.training();
        int steps = Math.min(ts.sampleSteps(), c.diffusion().diffusionSteps());
        Sampling.Options o = new Sampling.Options("ddim", Integer.toString(steps), 0.0, ts.sampleCount(),
                RunSeeds.derive(ts.seed(), SAMPLES_PURPOSE), true);
        INDArray raw = Sampling.run(run.model(), c.diffusion(), o, null).samples();
        int ch = c.model().inChannels(), size = c.model().imageSize();
        ImageData emaGrid = GridImage.tile(ema.floats(), ema.count(), ch, size);
        ImageData rawGrid = GridImage.tile(raw.castTo(DataType.FLOAT).dup('c').data().asFloat(), (int) raw.size(0), ch, size);
        grids.set(new SampleGrids(ema.step(), emaGrid, rawGrid, ema.weights()));
        throttle.request();
    }

    private void drawGrids() {
        try {
            if (run.step() > 0) run.writeSamples(); // onSamples adds the raw grid
        } catch (IOException | RuntimeException e) {
            problems.add("Could not draw samples: " + e.getMessage());
            throttle.request();
        }
    }

    @Override
    public void onStatus(RunStatus s, String message) {
        switch (s) {
            case READY -> setState(TrainingState.READY, message);
            case RUNNING -> {
                if (state != TrainingState.STOPPING) setState(TrainingState.RUNNING, message);
            }
            case PAUSED -> {
                if (state != TrainingState.STOPPING) setState(TrainingState.PAUSED, message);
            }
            case STOPPED -> setState(TrainingState.STOPPED, message.replace("--resume", "Open run..."));
            case COMPLETED -> setState(TrainingState.COMPLETED, message);
            case FAILED -> setState(TrainingState.FAILED, message);
        }
    }

    @Override
    public void onCheckpoint(long step, Path file) {
        checkpoint.set(new Object[] {step, file});
        throttle.request();
    }

    @Override
    public void onError(String message, Throwable cause) {
        problems.add(message);
        throttle.request();
    }

    private void setState(TrainingState s, String message) {
        state = s;
        stateChange.set(new StateChange(s, message));
        throttle.request();
    }

    private record StateChange(TrainingState state, String message) {}

    // ---------------------------------------------------------------- FX thread

    private void deliver() {
        List<LossPoint> pts = new ArrayList<>();
        for (LossPoint p; (p = newPoints.poll()) != null;) pts.add(p);
        if (!pts.isEmpty()) events.points(pts);
        TrainingProgress pr = progress.getAndSet(null);
        if (pr != null) events.progress(pr);
        SampleGrids g = grids.getAndSet(null);
        if (g != null) events.grids(g);
        Object[] ck = checkpoint.getAndSet(null);
        if (ck != null) events.checkpoint((Long) ck[0], (Path) ck[1]);
        StateChange sc = stateChange.getAndSet(null);
        if (sc != null) events.state(sc.state(), sc.message());
        for (String p; (p = problems.poll()) != null;) events.problem(p);
    }
}
