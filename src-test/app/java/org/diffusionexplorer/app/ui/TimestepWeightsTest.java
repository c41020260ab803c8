package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import javafx.scene.control.ComboBox;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.training.TrainingPane;
import org.diffusionexplorer.app.training.TrainingRuns;
import org.diffusionexplorer.app.view.PngWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 17, part 5: a run with the loss-second-moment sampler shows which timesteps it practises
 * (p(t) as a histogram, live); a run with the uniform sampler shows no histogram and says why.
 */
@ExtendWith(ApplicationExtension.class)
class TimestepWeightsTest {
    private static final int SLOW_S = 600;
    private TrainingPane pane;
    private Path tmp;

    @BeforeAll
    static void patientSetup() {
        FxToolkit.toolkitContext().setSetupTimeoutInMillis(180_000);
    }

    @Start
    void start(Stage stage) throws IOException {
        tmp = Files.createTempDirectory("timestep-weights-test");
        System.setProperty(TrainingRuns.RUNS_PROPERTY, tmp.resolve("runs").toString());
        ExplorerApp app = ExplorerFixture.start(stage);
        pane = (TrainingPane) app.views().get(3);
    }

    @AfterEach
    void endRun(FxRobot robot) throws IOException {
        ExplorerFixture.endTraining(robot, pane);
        System.clearProperty(TrainingRuns.RUNS_PROPERTY);
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private void startWithConfig(FxRobot robot, Path config) {
        robot.clickOn("#nav-training");
        robot.interact(() -> pane.useConfig(config));
        String name = "file: " + config.getFileName();
        ExplorerFixture.waitUntil("the config as the base", 120,
                () -> name.equals(robot.lookup("#train-preset").queryAs(ComboBox.class).getValue()));
        robot.interact(() -> {
            pane.setField("minutes", "0");
            pane.setField("steps", "100000");
        });
        robot.clickOn("#train-start");
    }

    @Test
    void theLossSecondMomentSamplersWeightsFillAHistogramThatMovesWithTraining(FxRobot robot) throws Exception {
        // 40 timesteps and batch 4 (of six images): the sampler has ten losses of every t (its warm-up) after 100-200 steps
        Path config = TrainingChild.tinyConfig(tmp.resolve("lsm.json"), TrainingChild.grayImages(tmp.resolve("data")), 4,
                "loss-second-moment", 40, 0);
        startWithConfig(robot, config);
        ExplorerFixture.waitUntil("the histogram", SLOW_S, () -> pane.timestepBars() == 20,
                () -> pane.timestepNote() + "; message: " + robot.lookup("#message-bar").queryAs(MessageBar.class).message());
        assertTrue(robot.lookup("#train-timestep-weights").query().isVisible());
        double[] before = pane.timestepWeights();
        assertEquals(40, before.length, "one weight per timestep of the run");
        assertEquals(1.0, Arrays.stream(before).sum(), 1e-9, "a distribution");
        // after the warm-up the weights follow the losses: no longer all equal
        ExplorerFixture.waitUntil("weights that differ between timesteps", SLOW_S, () -> {
            double[] w = pane.timestepWeights();
            return Arrays.stream(w).max().orElse(0) > 1.2 * Arrays.stream(w).min().orElse(0);
        }, () -> "step " + (pane.session() == null ? "-" : pane.session().step()) + ", " + pane.timestepNote());
        assertTrue(pane.timestepNote().startsWith("Uniform would be 5.0% per bar. Most practised: t "), pane.timestepNote());

        Path png = tmp.resolve("weights.png");
        robot.interact(() -> {
            try {
                pane.exportTimestepWeights(png);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        BufferedImage im = ImageIO.read(png.toFile());
        assertNotNull(im, "a PNG");
        assertTrue(im.getWidth() > 100 && im.getHeight() > 100, im.getWidth() + "x" + im.getHeight());
        shootIfAsked(robot, "4-training-timesteps");
    }

    @Test
    void aUniformRunShowsNoHistogramAndSaysWhy(FxRobot robot) throws Exception {
        Path config = TrainingChild.tinyConfig(tmp.resolve("uniform.json"), TrainingChild.grayImages(tmp.resolve("data")), 4,
                "uniform", 40, 0);
        startWithConfig(robot, config);
        ExplorerFixture.waitUntil("a few steps", SLOW_S, () -> pane.session() != null && pane.session().step() >= 3);
        assertEquals(0, pane.timestepBars());
        assertTrue(!robot.lookup("#train-timestep-weights").query().isVisible());
        assertTrue(pane.timestepNote().startsWith("This run draws t uniformly"), pane.timestepNote());
    }

    /** With -Dscreenshots.dir: the pane with the histogram, for the README. */
    private void shootIfAsked(FxRobot robot, String name) throws Exception {
        String d = System.getProperty("screenshots.dir");
        if (d == null || d.isBlank()) return;
        Path file = Files.createDirectories(Path.of(d)).resolve(name + ".png");
        // scrolled down: the histogram with its note, Export button and caption in view
        robot.interact(() -> robot.lookup("#pane-training .scroll-pane").queryAs(javafx.scene.control.ScrollPane.class).setVvalue(1));
        robot.sleep(600);
        robot.interact(() -> {
            try {
                PngWriter.write(robot.lookup("#pane-training").query().getScene().snapshot(null), file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
