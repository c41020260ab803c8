package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.denoising.DenoisingPane;
import org.diffusionexplorer.app.view.PngWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Photographs the denoising pane after a real sampling run on the bundled model (or
 * -Ddenoise.model=PATH), plain and in classroom mode. Runs only with -Dscreenshots.dir=...
 */
@ExtendWith(ApplicationExtension.class)
class DenoisingScreenshotsTest {
    private ExplorerApp app;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = ExplorerFixture.start(stage);
    }

    private void shoot(FxRobot robot, Path dir, String name) {
        robot.sleep(600);
        robot.interact(() -> {
            try {
                PngWriter.write(stage.getScene().snapshot(null), dir.resolve(name + ".png"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void denoisingPane(FxRobot robot) throws Exception {
        String d = System.getProperty("screenshots.dir");
        assumeTrue(d != null && !d.isBlank(), "set -Dscreenshots.dir to take screenshots");
        Path dir = Files.createDirectories(Path.of(d));
        DenoisingPane pane = (DenoisingPane) app.views().get(4);
        String model = System.getProperty("denoise.model");
        if (model != null && !model.isBlank()) robot.interact(() -> pane.openModel(Path.of(model)));
        robot.clickOn("#nav-denoising");
        ExplorerFixture.waitUntil("the model to open", 120, pane::isModelReady);
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("a few frames", 300, () -> pane.frameCount() >= 8);
        shoot(robot, dir, "7-denoising-while-sampling");
        ExplorerFixture.waitUntil("sampling to finish", 600, () -> !pane.isSampling());
        robot.clickOn("#denoise-timeline").type(javafx.scene.input.KeyCode.HOME);
        for (int i = 0; i < 12; i++) robot.type(javafx.scene.input.KeyCode.PERIOD);
        shoot(robot, dir, "8-denoising-scrubbed");
        robot.clickOn("#classroom-switch .thumb-area");
        robot.sleep(300);
        shoot(robot, dir, "9-classroom-denoising");
        robot.clickOn("#nav-embedding");
        shoot(robot, dir, "10-classroom-embedding-follows");
    }
}
