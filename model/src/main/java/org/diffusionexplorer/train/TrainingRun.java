package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.data.Batch;
import org.diffusionexplorer.data.BatchIterator;
import org.diffusionexplorer.data.ImageDataset;
import org.diffusionexplorer.data.ImageGrid;
import org.diffusionexplorer.diffusion.DiffusionLossGraph;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.LossSecondMomentResampler;
import org.diffusionexplorer.diffusion.ReverseSampler;
import org.diffusionexplorer.diffusion.TimestepSampler;
import org.diffusionexplorer.exec.PlanStore;
import org.diffusionexplorer.io.Failures;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A training run in its folder: the reference's TrainLoop (AdamW, optional lr anneal, micro-batches,
 * EMA per rate, uniform or loss-second-moment timesteps) over {@link Trainer}, with metrics.csv,
 * checkpoints every save_interval steps, sample grids from the EMA weights and exact resume.
 *
 * <p>Step numbers count completed updates: the checkpoint "step 100" holds the state after 100
 * updates, and the run resumed from it performs update 101 next, drawing the same batch, timesteps,
 * noise and dropout masks as the uninterrupted run (see {@link RunSeeds}).
 *
 * <p>Control from other threads: {@link #requestStop()}, {@link #pause()}, {@link #resume()} and
 * {@link #singleStep()} take effect between steps. {@link #train(long, TimeBudget)} runs on the caller's thread.
 * Runs are made and reopened by {@link RunOpening}.
 */
public final class TrainingRun implements AutoCloseable {
    static final List<String> ROW_OUTPUTS = List.of(DiffusionLossGraph.PREFIX + "loss", DiffusionLossGraph.PREFIX + "mse",
            DiffusionLossGraph.PREFIX + "vb");

    /** How a {@link #train} call ended. */
    public record Outcome(RunStatus status, long step, String message) {}

    private final RunFolder folder;
    private final RunConfig cfg;
    private final ImageDataset dataset;
    private final UNetModel model;
    private final GaussianDiffusion diffusion;
    private final DiffusionLossGraph lossGraph;
    private final TimestepSampler timesteps;
    private final AdamW opt;
    private final List<Ema> emas = new ArrayList<>();
    private final Trainer trainer;
    private final CheckpointStore store;
    private final MetricsLog metrics;
    private final List<TrainingListener> listeners = new CopyOnWriteArrayList<>();
    private final long seed;
    /** this process's ownership of the run folder, released by close() */
    private final RunLock lock;
    private long step;
    private long savedStep = -1;
    /** the update being made (step + 1 until it completes), for failure messages */
    private long stepInProgress;
    private double wallSeconds;
    private BatchIterator batches;
    /** test hook: replaces a batch's images before the step (e.g. NaNs) */
    private volatile java.util.function.UnaryOperator<INDArray> batchHook;

    private final Object control = new Object();
    private boolean stopRequested, paused;
    private int grantedSteps;
    private volatile RunStatus status = RunStatus.READY;
    /** the time budget of the session under way, or null */
    private volatile TimeBudget budget;
    private long sampledStep = -1;
    /** whether writeSamples also draws the raw weights' grid (the explorer shows both; the CLI writes only the EMA's) */
    private volatile boolean sampleRaw;

    TrainingRun(RunFolder folder, RunConfig cfg, ImageDataset dataset, RunLock lock) {
        this.lock = lock;
        this.folder = folder;
        this.cfg = cfg;
        this.dataset = dataset;
        this.seed = cfg.training().seed();
        TrainingSettings t = cfg.training();
        model = UNetModel.create(cfg.model(), RunSeeds.derive(seed, RunSeeds.INIT));
        diffusion = cfg.diffusion().build();
        lossGraph = DiffusionLossGraph.attach(diffusion, model.graph(), model.output(), "x", "t");
        timesteps = TimestepSampler.named(t.scheduleSampler(), diffusion);
        opt = new AdamW(model.stateDict(), t.lr(), 0.9, 0.999, 1e-8, t.weightDecay());
        for (double r : t.emaRate()) emas.add(new Ema(model.stateDict(), r, t.emaWarmup()));
        trainer = new Trainer(model.graph(), lossGraph.weightedLoss().name(), opt, emas, Trainer.Accumulation.SUM);
        trainer.setLrAnnealSteps(t.lrAnnealSteps());
        trainer.setRowOutputs(ROW_OUTPUTS);
        PlanStore plans = BundledModels.planStore(); // the lesson's step and its sample grids are shipped there
        trainer.usePlanStore(plans);
        model.usePlanStore(plans);
        store = folder.checkpoints(t.keepCheckpoints());
        try {
            metrics = new MetricsLog(folder.metrics());
        } catch (IOException e) {
            throw new RunException("cannot write " + folder.metrics() + ": " + e.getMessage());
        }
    }

    /** The run's metrics.csv writer, for {@link RunOpening}. */
    MetricsLog metricsLog() {
        return metrics;
    }

    // ---------------------------------------------------------------- accessors

    public RunConfig config() { return cfg; }
    public Path dir() { return folder.dir(); }
    public RunFolder folder() { return folder; }
    public synchronized long step() { return step; }
    public RunStatus status() { return status; }
    public UNetModel model() { return model; }
    public ImageDataset dataset() { return dataset; }
    public List<Ema> emas() { return List.copyOf(emas); }
    public AdamW optimizer() { return opt; }

    public void addListener(TrainingListener l) { listeners.add(l); }
    public void removeListener(TrainingListener l) { listeners.remove(l); }

    void setBatchHook(java.util.function.UnaryOperator<INDArray> hook) { this.batchHook = hook; }

    // ---------------------------------------------------------------- control (any thread)

    /** Ends train() after the current step (a checkpoint of that step is written); STOPPING until then. */
    public void requestStop() {
        boolean tell;
        synchronized (control) {
            stopRequested = true;
            tell = status == RunStatus.RUNNING || status == RunStatus.PAUSED;
            if (tell) status = RunStatus.STOPPING;
            control.notifyAll();
        }
        if (tell) {
            for (TrainingListener l : listeners) l.onStatus(RunStatus.STOPPING, "stopping after the current step...");
        }
    }

    /** Holds train() between steps until resume(), singleStep() or requestStop(). */
    public void pause() {
        synchronized (control) {
            paused = true;
            control.notifyAll();
        }
    }

    public void resume() {
        synchronized (control) {
            paused = false;
            grantedSteps = 0;
            control.notifyAll();
        }
    }

    /** While paused (or from now on paused): performs exactly one more step, then waits again. */
    public void singleStep() {
        synchronized (control) {
            paused = true;
            grantedSteps++;
            control.notifyAll();
        }
    }

    /** Waits while paused; false when the loop should end. */
    private boolean mayStep() throws InterruptedException {
        boolean toldPaused = false;
        synchronized (control) {
            while (!stopRequested && paused && grantedSteps == 0) {
                if (!toldPaused) {
                    setStatus(RunStatus.PAUSED, "paused at step " + step);
                    toldPaused = true;
                }
                control.wait();
            }
            if (stopRequested) return false;
            if (paused) grantedSteps--;
        }
        if (toldPaused) setStatus(RunStatus.RUNNING, "running from step " + step);
        return true;
    }

    // ---------------------------------------------------------------- the loop

    /**
     * Trains until {@code targetStep} updates are done or the time {@code budget} (null: none) has
     * run out, whichever comes first, or a stop request or a failure. With a budget the learning
     * rate anneals linearly to zero at the step the budget is expected to end at (re-estimated after
     * every step), in place of the config's lr_anneal_steps, and the session closes with a
     * checkpoint and, when the run draws grids, a sample grid.
     */
    public Outcome train(long targetStep, TimeBudget budget) {
        try {
            return trainSession(targetStep, budget);
        } finally {
            // cleared at the end, not the start: a stop asked while this call was being started still ends it
            synchronized (control) {
                stopRequested = false;
            }
        }
    }

    private Outcome trainSession(long targetStep, TimeBudget budget) {
        synchronized (control) {
            this.budget = budget;
        }
        // each session anneals by its own rule: the config's, or (with a budget) from the first estimate on,
        // so a budgeted session's estimate never outlives it
        trainer.setLrAnnealSteps(budget == null ? cfg.training().lrAnnealSteps() : 0);
        if (budget != null) budget.start(step, System.nanoTime());
        setStatus(RunStatus.RUNNING, "training " + folder.dir() + " from step " + step + " to " + targetStep
                + (budget != null ? String.format(java.util.Locale.ROOT, " or for %.1f minutes", budget.seconds() / 60) : ""));
        try {
            if (batches == null) {
                batches = BatchIterator.start(dataset, cfg.training().batchSize(), RunSeeds.derive(seed, RunSeeds.DATA), step,
                        BatchIterator.DEFAULT_PREFETCH);
            }
            while (step < targetStep) {
                if (budget != null && budget.over(step, System.nanoTime())) return finishBudget();
                stepInProgress = step + 1;
                if (!mayStep()) {
                    if (savedStep != step) saveCheckpoint();
                    return finish(RunStatus.STOPPED, "stopped at step " + step + "; checkpoint saved, continue with --resume " + folder.dir());
                }
                StepMetrics m = runStep(targetStep);
                if (!Double.isFinite(m.loss()) || !Double.isFinite(m.gradNorm())) {
                    String what = !Double.isFinite(m.loss()) ? "loss is " + m.loss() : "gradient norm is " + m.gradNorm();
                    String msg = "training diverged at step " + m.step() + ": " + what + "; stopped, " + (savedStep >= 0
                            ? "the last good checkpoint (step " + savedStep + ") is kept; lower the learning rate (now "
                                    + cfg.training().lr() + ") and continue with --resume " + folder.dir() + " --lr SMALLER"
                            : "no checkpoint was written yet; lower the learning rate (now " + cfg.training().lr()
                                    + ") and start a new run");
                    closeBatches();
                    for (TrainingListener l : listeners) l.onError(msg, null);
                    return finish(RunStatus.FAILED, msg);
                }
                afterStep(m);
                if (budget != null) trainer.setLrAnnealSteps(budget.estimatedEndStep(step, System.nanoTime()));
            }
            if (savedStep != step) saveCheckpoint();
            return finish(RunStatus.COMPLETED, "completed step " + step + " in " + folder.dir());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeBatches();
            return finish(RunStatus.STOPPED, "interrupted at step " + step);
        } catch (IOException | RuntimeException e) {
            closeBatches();
            String msg;
            if (e instanceof IOException) { // a file of the run could not be written: most often a full disk
                msg = "training stopped at step " + step + ": " + e.getMessage() + "; " + (savedStep >= 0
                        ? "the last checkpoint (step " + savedStep + ") is intact, continue with --resume " + folder.dir() + " once there is space"
                        : "no checkpoint was written yet");
            } else {
                msg = "training failed at step " + stepInProgress + ": " + (e.getMessage() == null ? e.toString() : e.getMessage());
            }
            for (TrainingListener l : listeners) l.onError(msg, e);
            finish(RunStatus.FAILED, msg);
            if (e instanceof RuntimeException) throw (RuntimeException) e;
            throw new RunException(msg);
        }
    }

    private Outcome finish(RunStatus s, String message) {
        try {
            metrics.writeRow();
        } catch (IOException e) {
            message += " (metrics.csv could not be written: " + e.getMessage() + ")";
        }
        setStatus(s, message);
        return new Outcome(s, step, message);
    }

    private void setStatus(RunStatus s, String message) {
        synchronized (control) {
            // once a stop is asked the run stays STOPPING until it has ended: a pause that began meanwhile
            // must not make the buttons offer Resume again
            if (status == RunStatus.STOPPING && (s == RunStatus.RUNNING || s == RunStatus.PAUSED)) return;
            status = s;
        }
        for (TrainingListener l : listeners) l.onStatus(s, message);
    }

    /** One update: batch number {@code step}, timesteps and noise from the step's generator. */
    private StepMetrics runStep(long targetStep) {
        long t0 = System.nanoTime();
        TrainingSettings ts = cfg.training();
        Batch b = batches.next();
        if (b.index() != step) throw new IllegalStateException("data order out of step: batch " + b.index() + " at step " + step);
        INDArray x0 = batchHook == null ? b.x() : batchHook.apply(b.x());
        SplittableRandom rng = RunSeeds.forStep(seed, step);
        TimestepSampler.Draw draw = timesteps.sample(ts.batchSize(), rng);
        INDArray noise = ReverseSampler.gaussian(rng, x0.shape(), DataType.FLOAT);
        DiffusionLossGraph.Feed feed = lossGraph.feed(x0, draw.t(), noise, draw.weights());
        Map<String, INDArray> ph = new LinkedHashMap<>(feed.placeholders());
        if (cfg.model().classConditional()) ph.put("y", b.y().castTo(DataType.INT64));
        // fresh dropout masks for every micro-batch pass, a function of (seed, step) like all draws
        SplittableRandom dropout = RunSeeds.dropoutForStep(seed, step);
        Trainer.StepResult r = trainer.step(ph, ts.microbatchRows(), rows -> model.dropoutMasks(rows, dropout));
        Map<String, double[]> rows = trainer.lastRowOutputs();
        double[] loss = rows.get(ROW_OUTPUTS.get(0)), mse = rows.get(ROW_OUTPUTS.get(1)), vb = rows.get(ROW_OUTPUTS.get(2));
        if (timesteps instanceof LossSecondMomentResampler && Double.isFinite(r.loss())) {
            ((LossSecondMomentResampler) timesteps).update(draw.t(), loss);
        }
        // return this step's native buffers now rather than whenever the GC finds their owners
        for (INDArray a : ph.values()) if (a.closeable() && !a.wasClosed()) a.close();
        for (INDArray a : new INDArray[] {noise, x0, b.x(), b.y()}) if (a != null && a.closeable() && !a.wasClosed()) a.close();
        synchronized (this) {
            step = r.step();
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        wallSeconds += secs;
        return StepMetrics.of(step, targetStep, draw, diffusion.numTimesteps, loss, mse, vb, r.gradNorm(), r.lr(), secs);
    }

    private void afterStep(StepMetrics m) throws IOException {
        TrainingSettings ts = cfg.training();
        metrics.add(m, ts.batchSize());
        if (step % ts.logInterval() == 0) metrics.writeRow();
        for (TrainingListener l : listeners) l.onStep(m);
        TimeBudget b = budget;
        if (step % ts.saveInterval() == 0) {
            long t0 = System.nanoTime();
            saveCheckpoint();
            if (b != null) b.saved((System.nanoTime() - t0) / 1e9);
        }
        if (ts.sampleInterval() > 0 && step % ts.sampleInterval() == 0) {
            long t0 = System.nanoTime();
            writeSamples();
            if (b != null) b.sampled((System.nanoTime() - t0) / 1e9);
        }
    }

    /** The session's time is up: a closing checkpoint and grid, then COMPLETED. */
    private Outcome finishBudget() throws IOException {
        if (savedStep != step) saveCheckpoint();
        if (cfg.training().sampleInterval() > 0 && sampledStep != step) writeSamples();
        return finish(RunStatus.COMPLETED, String.format(java.util.Locale.ROOT, "time budget of %.1f minutes used: completed step %d in %s",
                budget.seconds() / 60, step, folder.dir()));
    }

    /**
     * The probability of each timestep t the loss-second-moment sampler draws next (a copy; any
     * thread), or null when the run samples t uniformly. Uniform too until every t has its history.
     */
    public double[] timestepWeights() {
        return timesteps instanceof LossSecondMomentResampler ? timesteps.probabilities() : null;
    }

    /** The time budget of the session under way (null: none), e.g. to show the time left. */
    public TimeBudget budget() {
        return budget;
    }

    private void closeBatches() {
        if (batches != null) batches.close();
        batches = null;
    }

    /** The mean training loss of the current weights on given x_0, timesteps and noise (no update, no dropout). */
    public double evaluateLoss(INDArray x0, int[] t, INDArray noise) {
        Map<String, INDArray> ph = new LinkedHashMap<>(lossGraph.feed(x0, t, noise, null).placeholders());
        ph.putAll(model.noDropoutMasks(t.length)); // deterministic: the loss compares weights, not masks
        if (cfg.model().classConditional()) ph.put("y", Nd4j.zeros(DataType.INT64, t.length));
        String name = lossGraph.weightedLoss().name();
        return model.graph().output(ph, name).get(name).getDouble(0);
    }

    // ---------------------------------------------------------------- samples

    /**
     * From now on every grid is drawn twice from the same noise: from the first EMA's weights (the
     * grid written to samples/) and from the raw weights, in {@link SampleBatch#raw()}. The CLI does not
     * ask for it (it doubles the sampling time); the explorer shows the two side by side.
     */
    public void sampleRawWeightsToo(boolean on) {
        sampleRaw = on;
    }

    /**
     * Samples a grid from the first EMA's weights (DDIM, sample_steps), writes samples/step-N.png and
     * tells listeners; with {@link #sampleRawWeightsToo} the raw weights' grid from the same noise too.
     */
    public SampleBatch writeSamples() throws IOException {
        SampleBatch sb = SampleBatch.draw(step, model, emas.get(0), cfg, seed, sampleRaw);
        ImageGrid.write(sb.images(), ImageGrid.defaultScale(cfg.model().imageSize()), folder.sampleGrid(step));
        sampledStep = step;
        for (TrainingListener l : listeners) l.onSamples(sb);
        return sb;
    }

    // ---------------------------------------------------------------- checkpoints

    /** Writes the full state of the current step (see {@link RunCheckpoint}) and tells listeners. */
    public Path saveCheckpoint() throws IOException {
        Checkpoint c = RunCheckpoint.capture(step, cfg, seed, wallSeconds, model, emas, opt, timesteps, diffusion.numTimesteps);
        Path f;
        try {
            f = store.save(c);
        } catch (IOException e) {
            throw new IOException("could not save the checkpoint of step " + step + " (" + Failures.describe(e) + ")", e);
        }
        savedStep = step;
        for (TrainingListener l : listeners) l.onCheckpoint(step, f);
        return f;
    }

    void restore(Checkpoint c) {
        RunCheckpoint.restore(c, model, emas, opt, timesteps);
        step = c.step();
        savedStep = step;
        wallSeconds = c.meta().path("wall_seconds").asDouble(0);
    }

    @Override
    public void close() {
        closeBatches();
        trainer.close();
        model.close();
        lock.close(); // last: the files are complete before another process may open the run
    }
}
