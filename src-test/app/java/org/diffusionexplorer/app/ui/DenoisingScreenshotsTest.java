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
        classroom(robot, false); // the settings this JVM's other screenshot tests left may have it on
        robot.clickOn("#nav-denoising");
        ExplorerFixture.waitUntil("the model to open", 120, pane::isModelReady);
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("a few frames", 300, () -> pane.frameCount() >= 8);
        shoot(robot, dir, "7-denoising-while-sampling");
        ExplorerFixture.waitUntil("sampling to finish", 600, () -> !pane.isSampling());
        robot.clickOn("#denoise-timeline").type(javafx.scene.input.KeyCode.HOME);
        for (int i = 0; i < 12; i++) robot.type(javafx.scene.input.KeyCode.PERIOD);
        shoot(robot, dir, "8-denoising-scrubbed");
        classroom(robot, true);
        shoot(robot, dir, "9-classroom-denoising");
        robot.clickOn("#nav-embedding");
        shoot(robot, dir, "10-classroom-embedding-follows");
        classroom(robot, false);
    }

    private void classroom(FxRobot robot, boolean on) {
        robot.interact(() -> app.context().settings().classroomProperty().set(on));
        robot.sleep(300);
    }

    /** The three experiments under the timeline, each scrolled into view with its result. */
    @Test
    void experiments(FxRobot robot) throws Exception {
        String d = System.getProperty("screenshots.dir");
        assumeTrue(d != null && !d.isBlank(), "set -Dscreenshots.dir to take screenshots");
        Path dir = Files.createDirectories(Path.of(d));
        DenoisingPane pane = (DenoisingPane) app.views().get(4);
        robot.clickOn("#nav-denoising");
        ExplorerFixture.waitUntil("the model to open", 120, pane::isModelReady);
        javafx.scene.Node tabs = robot.lookup("#denoise-experiments").query();
        Runnable toBottom = () -> robot.interact(() -> {
            tabs.getScene().getRoot().layout();
            for (javafx.scene.Node p = tabs; p != null; p = p.getParent()) {
                if (p instanceof javafx.scene.control.ScrollPane sp) {
                    sp.setVvalue(sp.getVmin()); // from the top again: the same value twice would not move the grown content
                    sp.layout();
                    sp.setVvalue(sp.getVmax());
                }
            }
        });
        toBottom.run();
        robot.interact(() -> pane.startExperiment("compare"));
        ExplorerFixture.waitUntil("the comparison", 900, () -> !pane.isExperimentRunning("compare"));
        toBottom.run();
        shoot(robot, dir, "11-denoising-compare");

        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("sampling to finish", 600, () -> !pane.isSampling() && pane.frameCount() > 0);
        robot.interact(() -> {
            robot.lookup("#denoise-timeline").queryAs(javafx.scene.control.Slider.class).setValue(2); // an early frame: the forks still differ in shape
            robot.lookup("#tab-fork").queryAs(javafx.scene.control.ToggleButton.class).fire();
        });
        robot.interact(() -> pane.startExperiment("fork"));
        ExplorerFixture.waitUntil("the forks", 600, () -> !pane.isExperimentRunning("fork"));
        toBottom.run();
        shoot(robot, dir, "11-denoising-fork");

        robot.interact(() -> robot.lookup("#tab-interp").queryAs(javafx.scene.control.ToggleButton.class).fire());
        robot.interact(() -> pane.startExperiment("interp"));
        ExplorerFixture.waitUntil("the interpolation", 600, () -> !pane.isExperimentRunning("interp"));
        toBottom.run();
        shoot(robot, dir, "11-denoising-interpolate");
    }
}
