package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.WindowEvent;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.training.TrainingRuns;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.app.training.CloseGuard;
import org.diffusionexplorer.app.training.TrainingPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Closing the window while a run trains asks; "Keep training" keeps it, "Stop, save and quit" saves the current step. */
@ExtendWith(ApplicationExtension.class)
class CloseWhileTrainingTest {
    private static final int SLOW_S = 600;
    private Stage stage;
    private TrainingPane pane;
    private Path runs;

    @BeforeAll
    static void patientSetup() {
        FxToolkit.toolkitContext().setSetupTimeoutInMillis(180_000);
        Platform.setImplicitExit(false); // the test closes the window; the toolkit must live on for the next class
    }

    @Start
    void start(Stage stage) throws IOException {
        this.stage = stage;
        runs = Files.createTempDirectory("close-guard-test");
        System.setProperty(TrainingRuns.RUNS_PROPERTY, runs.toString());
        ExplorerApp app = ExplorerFixture.start(stage);
        pane = (TrainingPane) app.views().get(3);
    }

    @AfterEach
    void cleanUp(FxRobot robot) {
        ExplorerFixture.endTraining(robot, pane);
        System.clearProperty(TrainingRuns.RUNS_PROPERTY);
    }

    private void requestClose() {
        // not robot.interact: the question is a nested event loop that waits for our click
        Platform.runLater(() -> stage.fireEvent(new WindowEvent(stage, WindowEvent.WINDOW_CLOSE_REQUEST)));
    }

    @Test
    void closingWhileTrainingAsksThenSavesTheCurrentStepAndCloses(FxRobot robot) {
        robot.clickOn("#nav-training");
        robot.interact(() -> {
            pane.setField("steps", "100000");
            pane.setField("sample_interval", "0");
        });
        robot.clickOn("#train-start");
        ExplorerFixture.waitUntil("two steps", SLOW_S, () -> pane.session() != null && pane.session().step() >= 2);

        requestClose();
        ExplorerFixture.waitUntil("the question", 60, () -> robot.lookup("#close-guard").tryQuery().isPresent());
        robot.clickOn(CloseGuard.KEEP_TRAINING.getText());
        long kept = pane.session().step();
        ExplorerFixture.waitUntil("training to go on", SLOW_S, () -> pane.session().step() > kept);
        assertTrue(stage.isShowing(), "Keep training keeps the window");
        assertTrue(pane.state() == RunStatus.RUNNING);

        requestClose();
        ExplorerFixture.waitUntil("the question again", 60, () -> robot.lookup("#close-guard").tryQuery().isPresent());
        robot.clickOn(CloseGuard.SAVE_AND_QUIT.getText());
        ExplorerFixture.waitUntil("the window to close", SLOW_S, () -> !stage.isShowing());
        assertFalse(pane.state().active(), "the run has ended");
        long last = pane.session().step();
        Path ckpt = pane.session().dir().resolve("checkpoints").resolve(String.format("step-%08d.ckpt.npz", last));
        assertTrue(Files.isRegularFile(ckpt), "a checkpoint of the last step: " + ckpt);
    }
}
