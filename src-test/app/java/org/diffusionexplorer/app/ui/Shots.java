package org.diffusionexplorer.app.ui;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Scene;
import org.diffusionexplorer.app.view.PngWriter;
import org.testfx.api.FxRobot;

/** Screenshots for the README, taken only when -Dscreenshots.dir is set. */
final class Shots {
    private Shots() {
    }

    static void maybe(FxRobot robot, Scene scene, String name) {
        String d = System.getProperty("screenshots.dir");
        if (d == null || d.isBlank()) return;
        robot.sleep(500); // let layout and charts settle
        robot.interact(() -> {
            try {
                Path dir = Files.createDirectories(Path.of(d));
                PngWriter.write(scene.snapshot(null), dir.resolve(name + ".png"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
    }
}
