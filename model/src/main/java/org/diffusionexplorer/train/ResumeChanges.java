package org.diffusionexplorer.train;

import java.util.List;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;

/**
 * Training settings that {@code train --resume} may change: those that steer the updates to come
 * without touching the state a checkpoint holds or the order of the data. The batch size, EMA
 * rates, seed, sampler and model stay as the run began: a checkpoint's EMAs, data position and
 * sampler history are only meaningful under them. Null fields stay as they are.
 */
public record ResumeChanges(Double lr, Long lrAnnealSteps, Integer saveInterval, Integer sampleInterval) {
    public static final ResumeChanges NONE = new ResumeChanges(null, null, null, null);

    /** The config keys of the fields above, as {@link RunConfig#differences} names them. */
    private static final List<String> KEYS = List.of("training.lr", "training.lr_anneal_steps", "training.save_interval",
            "training.sample_interval");

    /** True for a difference ("training.lr: 1.0E-4 vs 2.0E-4") that a resume may have made. */
    public static boolean isResumable(String difference) {
        for (String k : KEYS) if (difference.startsWith(k + ":")) return true;
        return false;
    }

    public boolean isEmpty() {
        return lr == null && lrAnnealSteps == null && saveInterval == null && sampleInterval == null;
    }

    /** The settings with the changes made; the record's checks apply to the new values. */
    public TrainingSettings apply(TrainingSettings t) {
        if (isEmpty()) return t;
        TrainingSettings out = t.with(t.batchSize(), lr != null ? lr : t.lr(), t.emaRate(), t.emaWarmup(), t.logInterval(),
                saveInterval != null ? saveInterval : t.saveInterval(), sampleInterval != null ? sampleInterval : t.sampleInterval());
        return lrAnnealSteps != null ? out.withLrAnnealSteps(lrAnnealSteps) : out;
    }

    /** The command-line options these fields come from, for messages. */
    public static List<String> options() {
        return List.of("--lr", "--lr-anneal-steps", "--save-interval", "--sample-interval");
    }
}
