package org.diffusionexplorer.train;

import java.nio.file.Path;

/**
 * What a {@link TrainingRun} reports, for the explorer and the console. Calls come from the training
 * thread between steps; keep them short (hand work to another thread) and do not keep the arrays.
 */
public interface TrainingListener {

    default void onStep(StepMetrics metrics) {}

    /** A grid's worth of samples from the EMA weights at {@code step}. */
    default void onSamples(SampleBatch samples) {}

    default void onStatus(RunStatus status, String message) {}

    default void onCheckpoint(long step, Path file) {}

    /** A failure that ended the run (non-finite loss, I/O, data); the status is FAILED after it. */
    default void onError(String message, Throwable cause) {}
}
