package org.diffusionexplorer.app.model;

import java.nio.file.Path;
import java.util.List;

/**
 * What a training session tells its view. Every call arrives on the JavaFX thread, coalesced: a
 * fast run delivers its steps in batches a few times a second, never one event per step.
 */
public interface TrainingEvents {
    /** New points of the loss curve, oldest first. */
    default void points(List<LossPoint> points) {}

    default void progress(TrainingProgress progress) {}

    default void grids(SampleGrids grids) {}

    default void state(TrainingState state, String message) {}

    default void checkpoint(long step, Path file) {}

    /** A problem the user should read (an error that ended the run, a damaged checkpoint skipped). */
    default void problem(String message) {}
}
