package org.diffusionexplorer.app.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.shell.WelcomeOverlay;
import org.testfx.util.WaitForAsyncUtils;

/** Starts the explorer as a user would see it, and small helpers the UI tests share. */
final class ExplorerFixture {
    private ExplorerFixture() {
    }

    static ExplorerApp start(Stage stage) {
        System.setProperty(WelcomeOverlay.PROPERTY, "false"); // the first-run welcome would cover the window under test
        ExplorerApp app = new ExplorerApp();
        app.start(stage);
        app.views(); // makes every pane now, on the FX thread: tests look at panes the window has not shown
        return app;
    }

    /** The text a label's skin draws: its text, or the text cut to end in "..." when it does not fit. */
    static String drawnText(javafx.scene.control.Labeled l) {
        return ((javafx.scene.text.Text) l.lookup(".text")).getText();
    }

    static void waitUntil(String what, int seconds, Callable<Boolean> condition) {
        waitUntil(what, seconds, condition, () -> "");
    }

    /** As above; on a timeout the failure also says what {@code state} describes (e.g. the message shown instead). */
    static void waitUntil(String what, int seconds, Callable<Boolean> condition, java.util.function.Supplier<String> state) {
        try {
            WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
            WaitForAsyncUtils.waitForFxEvents(); // the rest of the FX update that satisfied the condition
        } catch (TimeoutException e) {
            String seen = state.get();
            throw new AssertionError("timed out after " + seconds + " s waiting for: " + what + (seen.isEmpty() ? "" : "; found: " + seen));
        }
    }

    /** Stops the training pane's run if there is one, waits until it has ended and frees it. */
    static void endTraining(org.testfx.api.FxRobot robot, org.diffusionexplorer.app.training.TrainingPane pane) {
        if (pane.session() == null) return;
        robot.interact(() -> pane.session().stop());
        waitUntil("the run to end", 600, () -> !pane.session().state().active());
        robot.interact(() -> pane.session().close());
    }

    static int[] pixels(Image im) {
        int w = (int) im.getWidth(), h = (int) im.getHeight();
        int[] out = new int[w * h];
        PixelReader r = im.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) out[y * w + x] = r.getArgb(x, y);
        }
        return out;
    }

}
