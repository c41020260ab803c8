package org.diffusionexplorer.train;

/**
 * Where a {@link TrainingRun} stands; listeners are told every change. The run is the one owner of
 * this state: the CLI's progress line and the explorer's buttons read it, neither keeps its own.
 */
public enum RunStatus {
    /** built, not yet stepping */
    READY,
    RUNNING,
    /** waiting between steps for resume() or singleStep() */
    PAUSED,
    /** a stop was asked: the current step finishes and a checkpoint of it is written */
    STOPPING,
    /** ended on request; a checkpoint of the last step was written */
    STOPPED,
    /** reached the requested step; a checkpoint was written */
    COMPLETED,
    /** a non-finite loss or an error; the last good checkpoint is untouched */
    FAILED;

    /** A train() call is under way: stepping, paused or finishing its step. */
    public boolean active() {
        return this == RUNNING || this == PAUSED || this == STOPPING;
    }
}
