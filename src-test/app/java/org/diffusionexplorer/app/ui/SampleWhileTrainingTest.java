package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.denoising.DenoisingPane;
import org.diffusionexplorer.app.training.TrainingRuns;
import org.diffusionexplorer.train.RunStatus;
import org.diffusionexplorer.app.training.TrainingPane;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Issue 6, concurrency: the denoising pane samples while the training pane's run keeps stepping. */
@ExtendWith(ApplicationExtension.class)
class SampleWhileTrainingTest {
    private static final int SLOW_S = 600;
    private ExplorerApp app;
    private TrainingPane training;
    private DenoisingPane denoising;
    private Path tmp;

    @BeforeAll
    static void patientSetup() {
        FxToolkit.toolkitContext().setSetupTimeoutInMillis(180_000);
    }

    @Start
    void start(Stage stage) throws Exception {
        tmp = Files.createTempDirectory("sample-while-training");
        System.setProperty(TrainingRuns.RUNS_PROPERTY, tmp.resolve("runs").toString());
        app = ExplorerFixture.start(stage);
        training = (TrainingPane) app.views().get(3);
        denoising = (DenoisingPane) app.views().get(4);
    }

    @AfterEach
    void cleanUp(FxRobot robot) {
        ExplorerFixture.endTraining(robot, training);
        System.clearProperty(TrainingRuns.RUNS_PROPERTY);
    }

    @Test
    void samplingRunsWhileTheRunTrains(FxRobot robot) throws Exception {
        robot.clickOn("#nav-training");
        robot.interact(() -> {
            training.setField("steps", "100000");
            training.setField("sample_interval", "0");
        });
        robot.clickOn("#train-start");
        ExplorerFixture.waitUntil("training to start", SLOW_S, () -> training.session() != null && training.session().step() >= 1);
        String runName = training.session().dir().getFileName().toString();
        assertTrue(denoising.modelSources().stream().anyMatch(s -> s.label().contains(runName)),
                "pane 5 offers the run that trains");

        Path ckpt = TinyModel.checkpoint(tmp, 100);
        robot.interact(() -> denoising.openModel(ckpt));
        robot.clickOn("#nav-denoising");
        ExplorerFixture.waitUntil("the tiny model to open", 240, denoising::isModelReady);
        long before = training.session().step();
        robot.doubleClickOn("#denoise-steps .text-field").write("10").type(KeyCode.ENTER);
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("sampling to finish", SLOW_S, () -> !denoising.isSampling() && denoising.frameCount() > 0);
        assertEquals(11, denoising.frameCount(), "every frame arrived although a run was training");
        ExplorerFixture.waitUntil("training to go on", SLOW_S, () -> training.session().step() > before);
        assertEquals(RunStatus.RUNNING, training.state(), "sampling did not disturb the run");
    }
}
