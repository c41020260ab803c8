package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.scene.control.ComboBox;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.diffusionexplorer.app.ExplorerApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class ResponsivenessTest {
    private ExplorerApp app;

    @Start
    void start(Stage stage) {
        app = ExplorerFixture.start(stage);
    }

    @Test
    void theFxThreadAnswersWithin100msWhileFeatureMapsAreComputed(FxRobot robot) throws InterruptedException {
        // Loading ND4J's 300 MB of native libraries stalls the whole process for moments (dlopen, page faults);
        // the app does it at start-up, before a user can ask for feature maps. Measure the work after that.
        StatusBar status = robot.lookup("#status-bar").queryAs(StatusBar.class);
        ExplorerFixture.waitUntil("the backend to load", 90, () -> status.getText().startsWith("Backend: "));
        robot.clickOn("#nav-architecture");
        // the reference's CIFAR-10 model rather than the pane's small default: the engine got fast enough
        // that the small model's feature maps (since SiLU ran on oneDNN) and then preset A's (since
        // GroupNorm's row ops: 9 samples, about 0.25 s) ended too soon to sample the FX thread's latency
        ComboBox<String> presets = robot.lookup("#preset-combo").queryComboBox();
        robot.interact(() -> presets.getSelectionModel().select("CIFAR-10 (the reference's README model)"));
        robot.clickOn("#block-down_00"); // (visible without scrolling) starts building a UNet and running it, on a background task
        ExplorerFixture.waitUntil("the background task to start", 5, () -> app.context().background().runningProperty().get() > 0);
        long worst = 0;
        int samples = 0, slow = 0;
        while (app.context().background().runningProperty().get() > 0 && samples < 400) {
            long t0 = System.nanoTime();
            CountDownLatch answered = new CountDownLatch(1);
            Platform.runLater(answered::countDown);
            assertTrue(answered.await(5, TimeUnit.SECONDS), "the FX thread did not answer within 5 s");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > 40) System.err.println("[latency] " + java.time.LocalTime.now() + " sample " + samples + ": " + ms + " ms");
            worst = Math.max(worst, ms);
            if (ms >= 100) slow++;
            samples++;
            Thread.sleep(25);
        }
        assertTrue(samples >= 10, "only " + samples + " samples: the task ended too soon to measure");
        // Every answer within 100 ms, except that on a machine shared by many builds (load average ~10 on
        // 2 cores) a rare stop-the-world GC pause or CPU starvation of the whole JVM can stretch one
        // sample: allow 1 in 100 such samples, none beyond 300 ms. Work on the FX thread would fail
        // this by far (a UNet forward pass takes seconds).
        String stats = samples + " samples, " + slow + " at or over 100 ms, worst " + worst + " ms";
        System.err.println("[latency] " + stats);
        assertTrue(slow <= samples / 100, stats);
        assertTrue(worst < 300, stats);
    }
}
