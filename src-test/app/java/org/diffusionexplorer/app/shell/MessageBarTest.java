package org.diffusionexplorer.app.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;

import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * A pane's success clears its own message, never another pane's: the Denoising pane finishing loading
 * its model used to wipe the Training pane's "no images in this folder" before anyone read it.
 */
@ExtendWith(ApplicationExtension.class)
class MessageBarTest {
    private MessageBar bar;

    @Start
    void start(Stage stage) {
        bar = new MessageBar();
        stage.setScene(new Scene(bar, 400, 60));
        stage.show();
    }

    @Test
    void onlyTheOwnerOrDismissClearsAnOwnedMessage(FxRobot robot) {
        Object training = new Object(), denoising = new Object();
        robot.interact(() -> {
            bar.showError(training, "Dataset problem - no .jpg");
            bar.hideMessage(denoising);
        });
        assertEquals("Dataset problem - no .jpg", bar.message(), "another pane's success leaves it");
        robot.interact(() -> bar.hideMessage(training));
        assertEquals("", bar.message(), "its own pane's success clears it");

        robot.interact(() -> {
            bar.showError("Could not load");
            bar.hideMessage(denoising);
        });
        assertEquals("", bar.message(), "a message nobody owns is cleared by any success");

        robot.interact(() -> bar.showInfo(training, "Saved"));
        robot.clickOn("#message-dismiss");
        assertEquals("", bar.message(), "Dismiss clears anything");
    }
}
