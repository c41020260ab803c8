package org.diffusionexplorer.app.training;

import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.diffusionexplorer.app.shell.PaneSlot;

/**
 * Closing the window while a run trains asks first; "Stop, save and quit" lets the current step
 * finish, writes its checkpoint and then closes, so a run is never cut off between checkpoints.
 */
public final class CloseGuard {
    public static final ButtonType SAVE_AND_QUIT = new ButtonType("Stop, save and quit", ButtonBar.ButtonData.OK_DONE);
    public static final ButtonType KEEP_TRAINING = new ButtonType("Keep training", ButtonBar.ButtonData.CANCEL_CLOSE);

    private CloseGuard() {}

    /** @param pane the Training pane's slot: a pane never made has no run to guard */
    public static void install(Stage stage, PaneSlot<TrainingPane> pane) {
        stage.addEventHandler(WindowEvent.WINDOW_CLOSE_REQUEST, e -> {
            TrainingPane training = pane.made().orElse(null);
            if (training == null || !training.trainingActive()) return;
            e.consume(); // keep the window until the run has saved
            Alert ask = new Alert(Alert.AlertType.CONFIRMATION,
                    "A run is training (step " + training.session().step() + "). Stop it after the current step, save a "
                            + "checkpoint and quit? It can be continued later with Open run.",
                    SAVE_AND_QUIT, KEEP_TRAINING);
            ask.setTitle("Quit while training?");
            ask.setHeaderText("Training is in progress");
            ask.initOwner(stage);
            ask.getDialogPane().setId("close-guard");
            ask.showAndWait().filter(SAVE_AND_QUIT::equals).ifPresent(b -> training.stopThen(stage::close));
        });
    }
}
