package org.diffusionexplorer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.io.ExitCleanup;
import org.diffusionexplorer.train.ResumeChanges;
import org.diffusionexplorer.train.RunOpening;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.train.TrainingRun;
import org.diffusionexplorer.unet.InvalidConfigException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts a training run in a new folder, or continues one exactly from its last checkpoint. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model on images; a run is a folder with config.json, metrics.csv, checkpoints/ and samples/.",
            "Ctrl-C stops after the current step and writes a checkpoint."})
public final class TrainCommand implements Callable<Integer> {

    static final class Where {
        @Option(names = "--out", paramLabel = "RUN_DIR", description = "New run folder (absent or empty).")
        Path out;

        @Option(names = "--resume", paramLabel = "RUN_DIR", description = "Continue this run from its newest good checkpoint.")
        Path resume;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Where where;

    @Option(names = "--preset", paramLabel = "NAME",
            description = "Starting configuration: lesson (28px digits for --minutes), tiny, A (32px gray, mnist), B (32px colour, emoji), cifar10.")
    String preset;

    @Option(names = "--config", paramLabel = "FILE", description = "Run configuration JSON (as a run's config.json, or the reference's flags).")
    Path config;

    @Option(names = "--data", paramLabel = "mnist|emoji|FOLDER", description = "Training images (overrides the config's data_dir).")
    String data;

    @Option(names = "--steps", paramLabel = "N", description = "Train until the run has done N steps in total.")
    Long steps;

    @Option(names = "--minutes", paramLabel = "M",
            description = {"Train for M minutes of wall time (e.g. a lesson's 10), then save and draw a final grid; the lr anneals to 0",
                "over the time. With --steps too, whichever comes first ends the session."})
    Double minutes;

    @Option(names = "--batch-size", paramLabel = "B", description = "Override training.batch_size.")
    Integer batchSize;

    @Option(names = "--lr", paramLabel = "LR", description = "Override training.lr; with --resume it changes the run's lr from now on (see config_history.json).")
    Double lr;

    @Option(names = "--ema-rate", paramLabel = "R[,R..]", description = "Override training.ema_rate (comma list).")
    String emaRate;

    @Option(names = "--seed", paramLabel = "S", description = "Override training.seed.")
    Long seed;

    @Option(names = "--save-interval", paramLabel = "N", description = "Override training.save_interval (with --resume too).")
    Integer saveInterval;

    @Option(names = "--sample-interval", paramLabel = "N", description = "Override training.sample_interval (0 = no sample grids; with --resume too).")
    Integer sampleInterval;

    @Option(names = "--init-from", paramLabel = "RUN_DIR|CHECKPOINT",
            description = "With --out: start from this run's newest checkpoint (weights, EMA, AdamW state, step), "
                    + "e.g. to train longer with a new lr_anneal_steps; the model must match.")
    Path initFrom;

    @Option(names = "--lr-anneal-steps", paramLabel = "N", description = "Override training.lr_anneal_steps (0 = constant lr; with --resume too).")
    Long lrAnnealSteps;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (steps == null && minutes == null) throw new InvalidConfigException("steps", "give --steps N, --minutes M or both");
        if (steps != null && steps < 1) throw new InvalidConfigException("steps", "must be positive, got " + steps);
        TimeBudget budget = minutes == null ? null : TimeBudget.minutes(minutes);
        long target = steps != null ? steps : Long.MAX_VALUE;
        RunConfig cfg = chosenConfig();
        TrainingRun run;
        if (where.out != null) {
            if (cfg == null) throw new InvalidConfigException("preset", "a new run needs --preset NAME or --config FILE");
            run = initFrom != null ? RunOpening.createFrom(where.out, cfg, initFrom, w -> System.err.println("warning: " + w))
                    : RunOpening.create(where.out, cfg);
            for (String w : cfg.warnings()) System.err.println("warning: " + w); // once the data proved usable
        } else {
            if (initFrom != null) throw new InvalidConfigException("init-from", "starts a new run: use it with --out, not --resume");
            // without --config/--preset the overrides are changes of the run's settings (with them, part of the expected config)
            ResumeChanges changes = cfg != null ? ResumeChanges.NONE : new ResumeChanges(lr, lrAnnealSteps, saveInterval, sampleInterval);
            run = RunOpening.resume(where.resume, cfg, changes, w -> System.err.println("warning: " + w));
            if (run.step() >= target) {
                System.out.println(where.resume + " is already at step " + run.step() + " (asked for " + steps + ")");
                run.close();
                return 0;
            }
        }
        // skipped images are reported here, not through the dataset's logger (silenced in DiffusionCli)
        int skippedAtStart = run.dataset().summary().skipped();
        if (skippedAtStart > 0) System.err.println("warning: " + run.dataset().summary());
        if (!quiet) run.addListener(new ConsoleProgress(System.err, budget));
        // On SIGINT/SIGTERM the exit waits (done) until the run has saved its step and the outcome line is
        // printed: the JVM halts once this finisher returns, so a line printed after it could be lost.
        CountDownLatch done = new CountDownLatch(1);
        Runnable unregister = ExitCleanup.beforeDeletingTemps(() -> {
            run.requestStop();
            try {
                done.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        TrainingRun.Outcome o;
        try {
            o = run.train(target, budget);
            // files that passed the header check but failed to decode while training
            if (run.dataset().summary().skipped() > skippedAtStart) System.err.println("warning: " + run.dataset().summary());
            System.out.println(o.message());
            System.out.flush();
        } finally {
            run.close();
            done.countDown();
            unregister.run();
        }
        return o.status() == RunStatus.FAILED ? 1 : 0;
    }

    /** --config or --preset with the overrides applied; null when neither is given. */
    private RunConfig chosenConfig() throws java.io.IOException {
        if (preset != null && config != null) throw new InvalidConfigException("preset", "give --preset or --config, not both");
        RunConfig cfg = config != null ? RunConfig.read(config) : preset != null ? RunConfig.preset(preset) : null;
        boolean overrides = data != null || batchSize != null || lr != null || emaRate != null || seed != null
                || saveInterval != null || sampleInterval != null || lrAnnealSteps != null;
        if (cfg == null) {
            if (where.resume != null && (data != null || batchSize != null || emaRate != null || seed != null)) {
                throw new RunException("--resume keeps the run's data, batch size, EMA rates and seed; of its settings only "
                        + String.join(", ", ResumeChanges.options()) + " may change");
            }
            if (where.resume != null) return null; // the other overrides become ResumeChanges
            if (overrides) throw new InvalidConfigException("preset", "a new run needs --preset NAME or --config FILE");
            return null;
        }
        if (data != null) cfg = cfg.withData(cfg.data().withDataDir(data));
        TrainingSettings t = cfg.training();
        if (seed != null) t = t.withSeed(seed);
        if (batchSize != null || lr != null || emaRate != null || saveInterval != null || sampleInterval != null) {
            t = t.with(batchSize != null ? batchSize : t.batchSize(), lr != null ? lr : t.lr(),
                    emaRate != null ? TrainingSettings.parseRates(emaRate) : t.emaRate(), t.emaWarmup(), t.logInterval(),
                    saveInterval != null ? saveInterval : t.saveInterval(), sampleInterval != null ? sampleInterval : t.sampleInterval());
        }
        if (lrAnnealSteps != null) t = t.withLrAnnealSteps(lrAnnealSteps);
        return cfg.withTraining(t);
    }
}
