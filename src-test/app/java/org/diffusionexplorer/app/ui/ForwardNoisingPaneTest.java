package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.noising.ForwardNoisingPane;
import org.diffusionexplorer.app.shell.MessageBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ForwardNoisingPaneTest {
    private ExplorerApp app;

    @Start
    void start(Stage stage) {
        app = ExplorerFixture.start(stage);
    }

    private static Image xt(FxRobot robot) {
        return robot.lookup("#noise-xt").queryAs(ImageView.class).getImage();
    }

    @Test
    void theImageIsDecodedOnlyOnceThePaneIsShown(FxRobot robot) throws Exception {
        // not shown yet, the pane has no skins: its images are reached through the scroll pane's content
        var scroll = (javafx.scene.control.ScrollPane) ((javafx.scene.layout.BorderPane) app.views().get(2).node()).getCenter();
        ImageView x0 = (ImageView) scroll.getContent().lookup("#noise-x0");
        Thread.sleep(3000); // a load started with the window ends in well under a second
        WaitForAsyncUtils.waitForFxEvents();
        assertNull(x0.getImage(), "the dataset was decoded at start-up, before the pane was shown");
        robot.clickOn("#nav-noising");
        ExplorerFixture.waitUntil("the first x_0", 60, () -> x0.getImage() != null);
    }

    @Test
    void scrubbingTChangesXt(FxRobot robot) {
        robot.clickOn("#nav-noising");
        ExplorerFixture.waitUntil("the first x_t", 60, () -> xt(robot) != null);
        int[] before = ExplorerFixture.pixels(xt(robot));
        Slider slider = robot.lookup("#noise-t").queryAs(Slider.class);
        double t0 = slider.getValue();

        // Drag the thumb to the right, as a user scrubs.
        robot.drag(slider.lookup(".thumb")).moveBy(250, 0).release(javafx.scene.input.MouseButton.PRIMARY);
        assertTrue(slider.getValue() > t0 + 50, "t moved from " + t0 + " to " + slider.getValue());
        int[] after = ExplorerFixture.pixels(xt(robot));
        assertFalse(Arrays.equals(before, after), "x_t changed");
        assertTrue(robot.lookup("#noise-t-label").queryAs(Label.class).getText().equals("t = " + (int) slider.getValue()));

        // Back at t = 0 x_t is almost exactly x_0 (abar_0 is 1 - 1e-4 or so).
        robot.clickOn("#noise-t").type(javafx.scene.input.KeyCode.HOME);
        int[] x0 = ExplorerFixture.pixels(robot.lookup("#noise-x0").queryAs(ImageView.class).getImage());
        int[] xt0 = ExplorerFixture.pixels(xt(robot));
        int maxDiff = 0;
        for (int i = 0; i < x0.length; i++) maxDiff = Math.max(maxDiff, Math.abs((x0[i] & 0xff) - (xt0[i] & 0xff)));
        assertTrue(maxDiff <= 6, "x_t at t=0 differs from x_0 by " + maxDiff + " grey levels");
    }

    @Test
    void theScheduleChangesXtAtTheSameT(FxRobot robot) {
        robot.clickOn("#nav-noising");
        ExplorerFixture.waitUntil("the first x_t", 60, () -> xt(robot) != null);
        int[] cosine = ExplorerFixture.pixels(xt(robot));
        String numbers = robot.lookup("#noise-numbers").queryAs(Label.class).getText();
        robot.clickOn("#noise-schedule-linear");
        assertNotEquals(numbers, robot.lookup("#noise-numbers").queryAs(Label.class).getText());
        assertFalse(Arrays.equals(cosine, ExplorerFixture.pixels(xt(robot))));
    }

    @Test
    void aBadFolderShowsAMessage(FxRobot robot) {
        robot.clickOn("#nav-noising");
        ExplorerFixture.waitUntil("the first x_t", 60, () -> xt(robot) != null);
        ForwardNoisingPane pane = (ForwardNoisingPane) app.views().get(2);
        robot.interact(() -> pane.useFolder("/no/such/folder/of/images"));
        MessageBar bar = robot.lookup("#message-bar").queryAs(MessageBar.class);
        ExplorerFixture.waitUntil("the error message", 20, () -> bar.isVisible());
        assertTrue(bar.message().contains("no such folder"), bar.message());
        assertTrue(xt(robot) != null, "the last good image stays");
    }
}
