package org.diffusionexplorer.app.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.concurrent.Service;
import javafx.concurrent.Task;
import javafx.util.Duration;
import org.diffusionexplorer.app.view.ColorMap;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.app.view.PixelGrid;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.train.LossPoint;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.train.SampleBatch;
import org.diffusionexplorer.train.StepMetrics;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.train.TrainingListener;
import org.diffusionexplorer.train.TrainingProgress;
import org.diffusionexplorer.train.TrainingRun;

/**
 * One run folder opened for training in the explorer. {@link TrainingRun#train} runs in a JavaFX
 * {@link Service} on the session's one thread (the only thread that touches the run's model), and
 * its progress arrives the JavaFX way: the task's value (a {@link TrainingProgress}) and progress,
 * coalesced by JavaFX however fast the steps are. The run's {@link RunStatus} is the one state; the
 * session mirrors it on the FX thread for bindings. The one hand-over kept custom is the queue of
 * loss points (every step's, none may be lost), drained onto the chart a few times a second.
 * Controls may be called from any thread and take effect between steps.
 */
public final class TrainingSession implements TrainingListener, AutoCloseable {
    /** How often the loss points reach the chart: smooth enough to watch, cheap enough for a busy machine. */
    static final Duration DRAIN_GAP = Duration.millis(150);

    private final TrainingRun run;
    private final List<LossPoint> history;
    private final ExecutorService thread;
    /** made on the FX thread at first use (the session itself is opened on a background task) */
    private TrainService service;
    private final ConcurrentLinkedQueue<LossPoint> points = new ConcurrentLinkedQueue<>();
    private Timeline drain;
    private final ReadOnlyObjectWrapper<RunStatus> status = new ReadOnlyObjectWrapper<>(RunStatus.READY);
    private final ReadOnlyStringWrapper statusMessage = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<SampleGrids> grids = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyObjectWrapper<double[]> timestepWeights = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyLongWrapper checkpointStep = new ReadOnlyLongWrapper(-1);
    private final List<String> notes;
    private volatile Consumer<List<LossPoint>> onPoints = p -> { };
    private volatile Consumer<String> onProblem = p -> { };
    private volatile boolean gridsWanted;

    TrainingSession(TrainingRun run, List<LossPoint> history, List<String> notes) {
        this.run = run;
        this.history = List.copyOf(history);
        this.notes = List.copyOf(notes);
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "training-run");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY); // the FX thread wins where the OS honours priorities
            return t;
        });
        run.sampleRawWeightsToo(true); // the pane shows what the averaging adds
        run.addListener(this);
        timestepWeights.set(run.timestepWeights());
    }

    private TrainService service() {
        if (service == null) {
            service = new TrainService();
            service.setExecutor(thread);
        }
        return service;
    }

    private boolean serviceRunning() {
        return service != null && service.isRunning();
    }

    // ---------------------------------------------------------------- controls

    /** Starts (or continues) training until {@code targetStep} steps are done (FX thread). */
    public void train(long targetStep) {
        train(targetStep, null);
    }

    /**
     * Starts (or continues) training until {@code targetStep} steps are done or the time budget (null:
     * none) is used up, whichever comes first; the run then ends by itself with a checkpoint (FX thread).
     */
    public void train(long targetStep, TimeBudget budget) {
        if (serviceRunning() || run.status().active()) return;
        TrainService s = service();
        s.target = targetStep;
        s.budget = budget;
        statusMessage.set(budget == null ? "training to step " + targetStep
                : String.format(Locale.ROOT, "training for %s minutes", minutes(budget)));
        s.restart();
    }

    public void pause() {
        if (run.status().active()) run.pause();
    }

    public void resume() {
        if (run.status().active()) run.resume();
    }

    /** Exactly one more step, then paused. */
    public void singleStep() {
        if (run.status().active()) run.singleStep();
    }

    /** Ends training after the current step, writing a checkpoint of it. */
    public void stop() {
        // also before the task has begun its train() call: the run honours a stop asked that early
        if (serviceRunning() || run.status().active()) run.requestStop();
    }

    /** Draws a fresh pair of sample grids on the session's thread (between steps while training). */
    public void requestGrids() {
        if (serviceRunning()) {
            gridsWanted = true; // served between two steps
            return;
        }
        try {
            thread.execute(this::drawGrids);
        } catch (RejectedExecutionException e) {
            // closed: nothing to draw
        }
    }

    /** Where loss points go (FX thread, in batches, oldest first); starts handing them over. */
    void onPoints(Consumer<List<LossPoint>> sink) {
        onPoints = sink;
        if (drain == null) {
            drain = new Timeline(new KeyFrame(DRAIN_GAP, e -> drainPoints()));
            drain.setCycleCount(Animation.INDEFINITE);
            drain.play();
        }
    }

    /** Where problems the user should read go (FX thread); the notes of the opening are sent at once. */
    void onProblem(Consumer<String> sink) {
        onProblem = sink;
        for (String n : notes) sink.accept(n);
    }

    /** Stops training if it runs and frees the model; returns at once, the release happens on the session's thread. */
    @Override
    public void close() {
        if (drain != null) drain.stop();
        onPoints = p -> { };
        onProblem = p -> { };
        run.removeListener(this);
        run.requestStop();
        try {
            thread.execute(run::close);
        } catch (RejectedExecutionException e) {
            return; // closed before
        }
        thread.shutdown();
    }

    /**
     * After {@link #close()}: waits until the run is released, its folder's lock included, so the
     * folder can be opened again; false when that took longer than {@code seconds}.
     */
    public boolean awaitClosed(long seconds) throws InterruptedException {
        return thread.awaitTermination(seconds, TimeUnit.SECONDS);
    }

    // ---------------------------------------------------------------- state

    public Path dir() {
        return run.dir();
    }

    /** A short description of the run (model size, data) for the pane. */
    public String summary() {
        RunConfig c = run.config();
        int size = c.model().imageSize();
        return String.format("%dx%d %s, C=%d, %,d parameters, %d diffusion steps (%s), data %s", size, size,
                c.model().inChannels() == 1 ? "grey" : "RGB", c.model().modelChannels(), run.model().parameterCount(),
                c.diffusion().diffusionSteps(), c.diffusion().noiseSchedule(), c.data().dataDir());
    }

    /** Steps completed so far. */
    public long step() {
        return run.step();
    }

    /** The run's own status (any thread); {@link #statusProperty()} is its mirror on the FX thread. */
    public RunStatus state() {
        return run.status();
    }

    /** The loss curve the run had before it was opened (from its metrics.csv); empty for a new run. */
    public List<LossPoint> history() {
        return history;
    }

    public ReadOnlyObjectProperty<RunStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    /** What the run last said about its status. */
    public ReadOnlyStringProperty statusMessageProperty() {
        return statusMessage.getReadOnlyProperty();
    }

    /** True from Start until the train() call has returned (the service's running; FX thread). */
    public ReadOnlyBooleanProperty trainingProperty() {
        return service().runningProperty();
    }

    /** The latest step, speed and time left of the train() under way (null before its first step; FX thread). */
    public ReadOnlyObjectProperty<TrainingProgress> progressProperty() {
        return service().valueProperty();
    }

    public ReadOnlyObjectProperty<SampleGrids> gridsProperty() {
        return grids.getReadOnlyProperty();
    }

    /** The loss-second-moment sampler's p(t), refreshed a few times a second; null for a uniform sampler. */
    public ReadOnlyObjectProperty<double[]> timestepWeightsProperty() {
        return timestepWeights.getReadOnlyProperty();
    }

    /** The step of the newest checkpoint this session wrote (-1: none yet). */
    public ReadOnlyLongProperty checkpointStepProperty() {
        return checkpointStep.getReadOnlyProperty();
    }

    // ---------------------------------------------------------------- the run's callbacks (session thread)

    @Override
    public void onStep(StepMetrics m) {
        points.add(new LossPoint(m.step(), m.loss(), m.lossQ().clone()));
        if (gridsWanted) {
            gridsWanted = false;
            drawGrids();
        }
    }

    @Override
    public void onSamples(SampleBatch b) {
        int ch = run.config().model().inChannels(), size = run.config().model().imageSize();
        PixelGrid ema = grid(b.floats(), b.count(), ch, size);
        PixelGrid raw = b.raw() == null ? null : grid(b.rawFloats(), b.count(), ch, size);
        SampleGrids g = new SampleGrids(b.step(), ema, raw, b.weights());
        Platform.runLater(() -> grids.set(g));
    }

    /** N images [N, C, H, W] in one square-ish grid, 1 px around and between in mid-grey (-0.5 in the model's range). */
    private static PixelGrid grid(float[] images, int n, int channels, int size) {
        // mid-grey: visible against white digits and black backgrounds alike
        return PixelGrid.tiles(ImageData.batch(images, n, channels, size, size), 1, ColorMap.grey(-0.5));
    }

    private void drawGrids() {
        try {
            if (run.step() > 0) run.writeSamples(); // onSamples hands both grids on
        } catch (IOException | RuntimeException e) {
            problem("Could not draw samples: " + e.getMessage());
        }
    }

    @Override
    public void onStatus(RunStatus s, String message) {
        String m = s == RunStatus.STOPPED ? message.replace("--resume", "Open run...") : message;
        Platform.runLater(() -> {
            statusMessage.set(m); // first: a listener of the status reads it
            status.set(s);
        });
    }

    @Override
    public void onCheckpoint(long step, Path file) {
        Platform.runLater(() -> checkpointStep.set(step));
    }

    @Override
    public void onError(String message, Throwable cause) {
        problem(message);
    }

    private void problem(String message) {
        Platform.runLater(() -> onProblem.accept(message));
    }

    // ---------------------------------------------------------------- FX thread

    private void drainPoints() {
        List<LossPoint> pts = new ArrayList<>();
        for (LossPoint p; (p = points.poll()) != null;) pts.add(p);
        if (!pts.isEmpty()) {
            onPoints.accept(pts);
            double[] w = run.timestepWeights();
            if (w != null) timestepWeights.set(w);
        }
    }

    private static String minutes(TimeBudget b) {
        double m = b.seconds() / 60;
        return m == Math.rint(m) ? Long.toString((long) m) : String.format(Locale.ROOT, "%.1f", m);
    }

    /** {@link TrainingRun#train} as a JavaFX service: one task per Start / Resume / Step. */
    private final class TrainService extends Service<TrainingProgress> {
        private long target;
        private TimeBudget budget;

        @Override
        protected Task<TrainingProgress> createTask() {
            return new TrainTask(target, budget);
        }
    }

    /** Publishes each step as the task's value and progress; JavaFX coalesces them for the FX thread. */
    private final class TrainTask extends Task<TrainingProgress> implements TrainingListener {
        private final long target;
        private final TimeBudget budget;
        private final TrainingProgress.Pace pace = new TrainingProgress.Pace();
        private TrainingProgress last;

        TrainTask(long target, TimeBudget budget) {
            this.target = target;
            this.budget = budget;
        }

        @Override
        protected TrainingProgress call() {
            run.addListener(this);
            try {
                TrainingRun.Outcome o = run.train(target, budget); // failures are told through onError and the status
                return last != null ? last : new TrainingProgress(o.step(), target, Double.NaN, Double.NaN);
            } finally {
                run.removeListener(this);
            }
        }

        @Override
        public void onStep(StepMetrics m) {
            last = pace.after(m, run.budget(), System.nanoTime());
            updateValue(last);
            updateProgress(last.fraction(), 1.0);
        }
    }
}
