package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.training.TrainingRuns;
import org.diffusionexplorer.app.training.TrainingPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class TrainingResponsivenessTest {
    private TrainingPane pane;
    private Path runs;

    @BeforeAll
    static void patientSetup() {
        // Opening the window has taken over TestFX's default 30 s on this machine at load 20.
        FxToolkit.toolkitContext().setSetupTimeoutInMillis(180_000);
    }

    @Start
    void start(Stage stage) throws IOException {
        runs = Files.createTempDirectory("training-latency-test");
        System.setProperty(TrainingRuns.RUNS_PROPERTY, runs.toString());
        ExplorerApp app = ExplorerFixture.start(stage);
        pane = (TrainingPane) app.views().get(3);
    }

    @AfterEach
    void endRun(FxRobot robot) throws IOException {
        ExplorerFixture.endTraining(robot, pane);
        System.clearProperty(TrainingRuns.RUNS_PROPERTY);
        try (Stream<Path> s = Files.walk(runs)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void theFxThreadAnswersWithin100msWhileTrainingRuns(FxRobot robot) throws InterruptedException {
        StatusBar status = robot.lookup("#status-bar").queryAs(StatusBar.class);
        ExplorerFixture.waitUntil("the backend to load", 90, () -> status.getText().startsWith("Backend: "));
        robot.clickOn("#nav-training");
        // A tiny run steps fast and draws grids every 5 steps: the most events per second the pane gets.
        robot.interact(() -> {
            pane.setField("steps", "100000");
            pane.setField("sample_interval", "5");
            pane.setField("sample_steps", "2");
        });
        robot.clickOn("#train-start");
        ExplorerFixture.waitUntil("training to run", 600, () -> pane.session() != null && pane.session().step() >= 2);
        long firstStep = pane.session().step();
        long worst = 0;
        int samples = 0, slow = 0;
        // at least 300 pings, and on until training made progress meanwhile (steps are slow on a loaded machine)
        while (samples < 300 || (pane.session().step() - firstStep < 2 && samples < 4000)) {
            long t0 = System.nanoTime();
            CountDownLatch answered = new CountDownLatch(1);
            Platform.runLater(answered::countDown);
            assertTrue(answered.await(5, TimeUnit.SECONDS), "the FX thread did not answer within 5 s");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            if (ms > 40) System.err.println("[latency] training sample " + samples + ": " + ms + " ms");
            worst = Math.max(worst, ms);
            if (ms >= 100) slow++;
            samples++;
            Thread.sleep(25);
        }
        long steps = pane.session().step() - firstStep;
        String stats = samples + " samples, " + slow + " at or over 100 ms, worst " + worst + " ms, " + steps + " training steps meanwhile";
        System.err.println("[latency] " + stats);
        assertTrue(steps >= 2, "training went on while measuring: " + stats);
        // As ResponsivenessTest: on a shared, loaded 2-core machine a GC pause or CPU starvation of the whole
        // JVM can stretch a rare sample; allow 2 in 100, none beyond 300 ms.
        assertTrue(slow <= samples / 50, stats);
        assertTrue(worst < 300, stats);
    }
}
