package org.diffusionexplorer.app.model;

/** Where a training session stands, as the buttons of the training pane need it. */
public enum TrainingState {
    /** the run is built (or opened) and not stepping */
    READY,
    RUNNING,
    /** holding between steps until Resume, Step or Stop */
    PAUSED,
    /** Stop was asked; the current step finishes and a checkpoint is written */
    STOPPING,
    /** stopped on request, with a checkpoint of the last step */
    STOPPED,
    /** reached its target step */
    COMPLETED,
    /** ended by an error (non-finite loss, I/O); the last good checkpoint is kept */
    FAILED;

    /** A train() call is under way (stepping, paused or finishing its step). */
    public boolean active() {
        return this == RUNNING || this == PAUSED || this == STOPPING;
    }
}
