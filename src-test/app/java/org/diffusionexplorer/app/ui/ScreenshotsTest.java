package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.image.ImageView;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.architecture.ArchitecturePane;
import org.diffusionexplorer.app.view.HeatMapView;
import org.diffusionexplorer.app.view.PngWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Photographs every pane as the app draws it, for the README and for looking at the screens.
 * Runs only with -Dscreenshots.dir=... so the normal test run stays short.
 */
@ExtendWith(ApplicationExtension.class)
class ScreenshotsTest {
    private ExplorerApp app;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = ExplorerFixture.start(stage);
    }

    private void shoot(FxRobot robot, Path dir, String name) throws Exception {
        Path file = dir.resolve(name + ".png");
        robot.sleep(600); // let charts finish their layout passes
        robot.interact(() -> {
            try {
                PngWriter.write(stage.getScene().snapshot(null), file);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }

    @Test
    void everyPane(FxRobot robot) throws Exception {
        String d = System.getProperty("screenshots.dir");
        assumeTrue(d != null && !d.isBlank(), "set -Dscreenshots.dir to take screenshots");
        Path dir = Files.createDirectories(Path.of(d));
        ExplorerFixture.waitUntil("heat-map", 30,
                () -> robot.lookup("#embedding-heatmap").queryAs(HeatMapView.class).imageProperty().get() != null);
        robot.moveTo("#embedding-heatmap");
        shoot(robot, dir, "1-time-embedding");

        robot.clickOn("#nav-architecture");
        robot.clickOn("#block-down_04");
        ArchitecturePane arch = (ArchitecturePane) app.views().get(1);
        ExplorerFixture.waitUntil("feature maps", 120, () -> arch.details().thumbnailCount() > 0);
        shoot(robot, dir, "2-unet-architecture");

        robot.clickOn("#nav-noising");
        ExplorerFixture.waitUntil("x_t", 60, () -> robot.lookup("#noise-xt").queryAs(ImageView.class).getImage() != null);
        shoot(robot, dir, "3-forward-noising");

        robot.clickOn("#nav-training");
        shoot(robot, dir, "4-training");

        robot.clickOn("#nav-embedding");
        robot.clickOn("#classroom-switch .thumb-area");
        robot.sleep(300);
        shoot(robot, dir, "5-classroom-time-embedding");
        robot.clickOn("#nav-architecture");
        shoot(robot, dir, "6-classroom-architecture");
        robot.interact(() -> app.context().settings().classroomProperty().set(false)); // kept in settings: the next test class would start in it
    }
}
