package org.diffusionexplorer.app.training;

import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.BooleanExpression;
import javafx.scene.control.Button;
import javafx.scene.control.Tooltip;
import org.diffusionexplorer.train.RunStatus;

/** The run's buttons, each enabled exactly when the run's status allows it. */
final class RunButtons {
    final Button start = button("Start", "train-start", "Create a new run folder and train from scratch");
    final Button pause = button("Pause", "train-pause", "Hold between two steps (Space)");
    final Button resume = button("Resume", "train-resume", "Continue training (Space)");
    final Button stop = button("Stop", "train-stop", "End after this step and save a checkpoint");
    final Button step = button("Step", "train-step", "Exactly one more step, then hold ('.')");
    final Button open = button("Open run...", "train-open",
            "Continue a run folder from its newest checkpoint, or follow it while another process trains it");
    final Button saveAs = button("Save run as...", "train-save-as", "Choose the folder the next run is saved in");

    static Button button(String text, String id, String tip) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    /** @param busy a run is being created or opened */
    void bind(BooleanExpression busy, SessionBinding s) {
        var state = s.state;
        BooleanBinding stepping = Bindings.createBooleanBinding(
                () -> state.get() == RunStatus.RUNNING || state.get() == RunStatus.PAUSED, state);
        BooleanBinding canContinue = Bindings.createBooleanBinding(() -> state.get() == RunStatus.PAUSED
                || !s.training.get() && (state.get() == RunStatus.READY || state.get() == RunStatus.STOPPED
                        || state.get() == RunStatus.COMPLETED), state, s.training);
        start.disableProperty().bind(busy.or(s.active));
        open.disableProperty().bind(busy.or(s.active));
        saveAs.disableProperty().bind(busy.or(s.active));
        pause.disableProperty().bind(busy.or(state.isNotEqualTo(RunStatus.RUNNING)));
        resume.disableProperty().bind(busy.or(canContinue.not()));
        stop.disableProperty().bind(busy.or(stepping.not()));
        step.disableProperty().bind(busy.or(stepping.not().and(canContinue.not())));
    }
}
