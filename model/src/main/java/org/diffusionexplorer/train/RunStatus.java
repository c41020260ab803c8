package org.diffusionexplorer.train;

/** Where a {@link TrainingRun} stands; listeners are told every change. */
public enum RunStatus {
    /** built, not yet stepping */
    READY,
    RUNNING,
    /** waiting between steps for resume() or singleStep() */
    PAUSED,
    /** ended on request; a checkpoint of the last step was written */
    STOPPED,
    /** reached the requested step; a checkpoint was written */
    COMPLETED,
    /** a non-finite loss or an error; the last good checkpoint is untouched */
    FAILED
}
