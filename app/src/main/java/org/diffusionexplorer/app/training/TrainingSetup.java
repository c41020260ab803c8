package org.diffusionexplorer.app.training;

import java.util.List;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.train.TimeBudget;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * The fields of a new run the training pane edits, over a base config (a preset or a config file):
 * the data, how many steps or minutes (a lesson's length; 0 = no limit), learning rate, batch size,
 * EMA rate and how often to draw sample grids.
 * {@link #toRunConfig()} refuses a value that cannot work, naming the field.
 */
public record TrainingSetup(String baseName, RunConfig base, String data, long steps, double lr, int batchSize, double emaRate,
        int sampleInterval, int sampleSteps, double minutes) {

    /** The base's own values, with {@code steps} to train. */
    public static TrainingSetup of(String name, RunConfig base, long steps) {
        TrainingSettings t = base.training();
        return new TrainingSetup(name, base, base.data().dataDir(), steps, t.lr(), t.batchSize(), t.emaRate().get(0),
                t.sampleInterval(), t.sampleSteps(), 0);
    }

    /** The same setup with a time budget of {@code m} minutes (0: none). */
    public TrainingSetup withMinutes(double m) {
        return new TrainingSetup(baseName, base, data, steps, lr, batchSize, emaRate, sampleInterval, sampleSteps, m);
    }

    /** The session's time budget, or null for none (minutes 0); an impossible value names "minutes". */
    public TimeBudget budget() {
        return TimeBudget.minutesOrNone(minutes);
    }

    public TrainingSetup withSamples(int interval, int ddimSteps) {
        return new TrainingSetup(baseName, base, data, steps, lr, batchSize, emaRate, interval, ddimSteps, minutes);
    }

    /** The run's full config; an impossible value throws InvalidConfigException naming its field. */
    public RunConfig toRunConfig() {
        if (steps < 1) throw new InvalidConfigException("steps", "must be at least 1, got " + steps);
        budget(); // refuses an impossible number of minutes here, with the others
        if (data == null || data.isBlank()) throw new InvalidConfigException("data.data_dir", "choose the training images (mnist, emoji or a folder)");
        TrainingSettings t = base.training();
        // the first rate is the one the grids use; further rates of a config file stay as they were
        List<Double> rates = new java.util.ArrayList<>(t.emaRate());
        rates.set(0, emaRate);
        t = t.with(batchSize, lr, rates, t.emaWarmup(), t.logInterval(), t.saveInterval(), sampleInterval);
        t = t.withSampling(t.sampleCount(), sampleSteps);
        return base.withTraining(t).withData(base.data().withDataDir(data.trim()));
    }
}
