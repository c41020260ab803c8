package org.diffusionexplorer.app.model;

import java.nio.file.Path;
import java.util.List;
import org.diffusionexplorer.train.TimeBudget;

/**
 * One run folder opened for training. The training itself runs on the session's own thread; the
 * controls may be called from any thread and take effect between steps. Events go to the
 * {@link TrainingEvents} the session was opened with.
 */
public interface TrainingSession extends AutoCloseable {
    Path dir();

    /** A short description of the run (model size, data) for the pane. */
    String summary();

    /** Steps completed so far. */
    long step();

    TrainingState state();

    /** The loss curve the run had before it was opened (from its metrics.csv); empty for a new run. */
    List<LossPoint> history();

    /** Starts (or continues) training on the session's thread until {@code targetStep} steps are done. */
    default void train(long targetStep) {
        train(targetStep, null);
    }

    /**
     * Starts (or continues) training until {@code targetStep} steps are done or the time budget (null:
     * none) is used up, whichever comes first; the run then ends by itself with a checkpoint.
     */
    void train(long targetStep, TimeBudget budget);

    void pause();

    void resume();

    /** Exactly one more step, then paused. */
    void singleStep();

    /** Ends training after the current step, writing a checkpoint of it. */
    void stop();

    /** Draws a fresh pair of sample grids on the session's thread (between steps while training). */
    void requestGrids();

    /** Stops training if it runs and frees the model; returns at once, the release happens on the session's thread. */
    @Override
    void close();

    /**
     * After {@link #close()}: waits until the run is released, its folder's lock included, so the
     * folder can be opened again; false when that took longer than {@code seconds}.
     */
    default boolean awaitClosed(long seconds) throws InterruptedException {
        return true;
    }
}
