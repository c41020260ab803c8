package org.diffusionexplorer.app.view;

import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.value.ObservableBooleanValue;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;

/**
 * A background run's Cancel button, progress bar and status line, following one Task at a time:
 * while it runs they show its progress and message; when it ends the status line says how
 * ({@link Ending}) and Cancel is disabled again. The caller submits the task; its Run button is
 * disabled while one runs ({@link #bindRunButton}). Ids: {@code <id>-cancel}, {@code <id>-progress}, {@code <id>-status}.
 */
public final class TaskControls {
    /** The status line once a task has ended (SUCCEEDED, CANCELLED or FAILED), given the message it showed last. */
    public interface Ending<R> {
        String text(Task<R> task, Worker.State state, String lastMessage);
    }

    private final Button cancel = new Button("Cancel");
    private final ProgressBar progress = new ProgressBar(0);
    private final Label status = new Label();
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(false);
    private Task<?> task;
    private Button run;

    public TaskControls(String id, double progressWidth) {
        cancel.setId(id + "-cancel");
        cancel.setOnAction(e -> cancel());
        cancel.disableProperty().bind(running.not());
        progress.setId(id + "-progress");
        progress.setPrefWidth(progressWidth);
        status.setId(id + "-status");
    }

    public Button cancelButton() {
        return cancel;
    }

    public ProgressBar progressBar() {
        return progress;
    }

    public Label statusLabel() {
        return status;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    public boolean isRunning() {
        return running.get();
    }

    /**
     * The caller's Run button: disabled while a task runs or while {@code unusable} holds, and the focus
     * it holds moves to Cancel while a task runs, and back when it ends. Otherwise JavaFX hands the focus
     * of a control being disabled to the next one, which on the Denoising pane was the timeline's Play
     * button: its scroll pane scrolled down to it at the end of every sampling, in classroom mode taking
     * the images out of view.
     */
    public void bindRunButton(Button runButton, ObservableBooleanValue unusable) {
        run = runButton;
        run.disableProperty().bind(running.or(unusable));
    }

    /** As above, for a Run button usable whenever no task runs. */
    public void bindRunButton(Button runButton) {
        bindRunButton(runButton, new SimpleBooleanProperty(false));
    }

    /**
     * Follows {@code t} from now on (a task still running is cancelled first). When it ends, the status
     * line shows {@code ending}'s text and {@code onEnd} (may be null) gets the final state.
     */
    public <R> void follow(Task<R> t, Ending<R> ending, Consumer<Worker.State> onEnd) {
        cancel();
        task = t;
        boolean runFocused = run != null && run.isFocused();
        running.set(true);
        if (runFocused) cancel.requestFocus();
        progress.progressProperty().bind(t.progressProperty());
        status.textProperty().bind(t.messageProperty());
        t.stateProperty().addListener((o, was, now) -> {
            boolean ended = now == Worker.State.SUCCEEDED || now == Worker.State.FAILED || now == Worker.State.CANCELLED;
            if (t != task || !ended) return;
            String last = status.getText();
            status.textProperty().unbind();
            progress.progressProperty().unbind();
            boolean cancelFocused = cancel.isFocused();
            running.set(false); // the Run button's binding has made it usable again when this returns
            if (cancelFocused && run != null) run.requestFocus();
            status.setText(ending.text(t, now, last));
            if (onEnd != null) onEnd.accept(now);
        });
    }

    /**
     * Asks the task to stop; its loop checks between model calls (no interrupt: ND4J ops finish). A task
     * submitted but not yet started is cancelled too, so it never runs.
     */
    public void cancel() {
        if (task != null && !task.isDone()) task.cancel(false);
    }
}
