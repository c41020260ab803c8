package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import javafx.concurrent.Task;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.denoising.DenoisingPane;
import org.diffusionexplorer.app.embedding.TimeEmbeddingPane;
import org.diffusionexplorer.app.shell.MessageBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class DenoisingPaneTest {
    private ExplorerApp app;
    private DenoisingPane pane;
    @TempDir
    Path tmp;

    @Start
    void start(Stage stage) {
        app = ExplorerFixture.start(stage);
        pane = (DenoisingPane) app.views().get(4);
    }

    /** Opens a tiny untrained model (instead of the bundled one) and shows the pane. */
    private void openTiny(FxRobot robot, int diffusionSteps) throws Exception {
        Path ckpt = TinyModel.checkpoint(tmp, diffusionSteps);
        robot.interact(() -> pane.openModel(ckpt));
        robot.clickOn("#nav-denoising");
        ExplorerFixture.waitUntil("the tiny model to open", 240, pane::isModelReady);
        assertTrue(robot.lookup("#denoise-model-info").queryAs(Label.class).getText().contains("8x8 grey"));
    }

    private static double centreY(FxRobot robot, String id) {
        javafx.scene.Node n = robot.lookup(id).query();
        return n.localToScene(n.getLayoutBounds()).getCenterY();
    }

    private static Image xt(FxRobot robot) {
        return robot.lookup("#denoise-xt").queryAs(ImageView.class).getImage();
    }

    /** DDIM is the default sampler: only the step count is set, as a first-time user would. */
    private void sampleWithDdim(FxRobot robot, int steps) {
        assertTrue(robot.lookup("#denoise-ddim").queryAs(javafx.scene.control.ToggleButton.class).isSelected());
        robot.doubleClickOn("#denoise-steps .text-field").write(Integer.toString(steps)).type(KeyCode.ENTER);
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("sampling to finish", 300, () -> !pane.isSampling() && pane.frameCount() > 0);
    }

    @Test
    void sampleFillsTheViewAndTheTimelineScrubsThroughTheFrames(FxRobot robot) throws Exception {
        openTiny(robot, 100);
        // at the default window size the sampler's settings read as one line (the image count sits by Sample);
        // classroom mode's large type may wrap, and another test class in this JVM may have left it on
        robot.interact(() -> app.context().settings().classroomProperty().set(false));
        double row = centreY(robot, "#denoise-ddim");
        for (String id : new String[] {"#denoise-steps", "#denoise-eta", "#denoise-seed"}) {
            assertEquals(row, centreY(robot, id), 6, id + " wrapped onto another line at width "
                    + robot.lookup(id).query().getScene().getWidth());
        }
        assertEquals(centreY(robot, "#denoise-sample"), centreY(robot, "#denoise-count"), 6);
        java.util.Set<javafx.scene.Node> hints = robot.lookup("#pane-denoising .empty-frame-hint").queryAll();
        assertEquals(2, hints.size(), "x_t's frame and x_0's say what will appear in them");
        assertTrue(hints.stream().allMatch(javafx.scene.Node::isVisible), "shown while nothing is sampled");
        sampleWithDdim(robot, 10);
        assertTrue(hints.stream().noneMatch(javafx.scene.Node::isVisible), "hidden once the frames show images");
        assertEquals(11, pane.frameCount(), "10 model calls and the finished samples");
        Slider timeline = robot.lookup("#denoise-timeline").queryAs(Slider.class);
        assertEquals(10, timeline.getMax());
        assertEquals(10, timeline.getValue(), "the viewer followed the newest frame");
        assertTrue(robot.lookup("#denoise-status").queryAs(Label.class).getText().startsWith("Done"));
        int[] last = ExplorerFixture.pixels(xt(robot));

        robot.clickOn("#denoise-timeline").type(KeyCode.HOME);
        assertEquals(0, timeline.getValue());
        int[] first = ExplorerFixture.pixels(xt(robot));
        assertFalse(Arrays.equals(first, last), "pure noise first, the finished samples last");
        // The embedding pane highlights the timestep the model was asked about: near the top of 0..999 at the start.
        TimeEmbeddingPane embedding = (TimeEmbeddingPane) app.views().get(0);
        assertTrue(embedding.sampledTimestepProperty().get() >= 900, "highlight " + embedding.sampledTimestepProperty().get());
        assertTrue(robot.lookup("#denoise-frame-label").queryAs(Label.class).getText().contains("t = 99"));

        // Scrub as a user drags the thumb: x_t changes, and so does the highlighted timestep.
        robot.drag("#denoise-timeline .thumb").moveBy(150, 0).release(MouseButton.PRIMARY);
        assertTrue(timeline.getValue() >= 2, "the thumb moved to " + timeline.getValue());
        assertFalse(Arrays.equals(first, ExplorerFixture.pixels(xt(robot))), "scrubbing changed x_t");
        assertTrue(embedding.sampledTimestepProperty().get() < 900, "the highlight followed");

        // Keys: ',' steps back one frame; Space plays to the end.
        double at = timeline.getValue();
        robot.type(KeyCode.COMMA);
        assertEquals(at - 1, timeline.getValue());
        robot.type(KeyCode.SPACE);
        ExplorerFixture.waitUntil("playing to reach the end", 120, () -> timeline.getValue() == 10);
        assertTrue(Arrays.equals(last, ExplorerFixture.pixels(xt(robot))));
        assertEquals(0, embedding.sampledTimestepProperty().get(), "the finished samples are at t = 0");

        // Sample clicked again (it takes the focus; ENTER in the steps field above pressed it as the default
        // button) has its focus back once it is enabled again: handed on to the timeline's Play button, the
        // focus scrolled the pane down to it, in classroom mode out of sight of the images
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("sampling again to finish", 300, () -> !pane.isSampling() && pane.frameCount() == 11);
        javafx.scene.Node sample = robot.lookup("#denoise-sample").query();
        assertTrue(sample.isFocused(), "focus on " + sample.getScene().getFocusOwner());
    }

    /** A class-conditional model shows the class chooser; the chosen class changes what the same seed draws. */
    @Test
    void aClassConditionalModelCanBeAskedForOneClass(FxRobot robot) throws Exception {
        openTiny(robot, 100);
        assertFalse(robot.lookup("#denoise-class").query().isVisible(), "an unconditional model has no classes to choose");
        Path ckpt = TinyModel.checkpoint(tmp, 100, 10);
        robot.interact(() -> pane.openModel(ckpt));
        ExplorerFixture.waitUntil("the conditional model to open", 240,
                () -> pane.isModelReady() && robot.lookup("#denoise-model-info").queryAs(Label.class).getText().contains("10 classes"));
        javafx.scene.control.ComboBox<?> classes = robot.lookup("#denoise-class").queryAs(javafx.scene.control.ComboBox.class);
        assertTrue(classes.isVisible());
        assertEquals(11, classes.getItems().size(), "every class in turn, then 0..9");
        assertEquals("0..9 in turn", classes.getValue());

        int[][] drawn = new int[2][];
        int k = 0;
        for (int index : new int[] {4, 8}) { // classes 3 and 7
            robot.interact(() -> classes.getSelectionModel().select(index));
            sampleWithDdim(robot, 5);
            drawn[k++] = ExplorerFixture.pixels(xt(robot));
        }
        assertFalse(Arrays.equals(drawn[0], drawn[1]), "the same seed, asked for another class, draws other images");
    }

    @Test
    void cancelStopsALongSampling(FxRobot robot) throws Exception {
        openTiny(robot, 1000);
        robot.clickOn("#denoise-ddpm-full");
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("the first frames", 300, () -> pane.frameCount() >= 2);
        assertTrue(pane.isSampling());
        robot.clickOn("#denoise-cancel");
        assertFalse(pane.isSampling(), "Cancel answers at once; the model call under way finishes unseen");
        int frames = pane.frameCount();
        robot.sleep(2000);
        assertEquals(frames, pane.frameCount(), "no frames after Cancel");
        assertTrue(frames < 200, frames + " frames: a 1000-step run keeps 200 and the final samples");
        assertTrue(robot.lookup("#denoise-status").queryAs(Label.class).getText().startsWith("Cancelled"));
        assertFalse(robot.lookup("#denoise-sample").queryAs(Button.class).isDisabled(), "Sample can run again");
        assertTrue(xt(robot) != null, "the frames so far stay viewable");
    }

    @Test
    void anUnreadableModelFileShowsAMessage(FxRobot robot) throws Exception {
        openTiny(robot, 100);
        Path broken = Files.write(tmp.resolve("broken.ckpt.npz"), "not a checkpoint".getBytes());
        robot.interact(() -> pane.openModel(broken));
        MessageBar bar = robot.lookup("#message-bar").queryAs(MessageBar.class);
        ExplorerFixture.waitUntil("the error message", 120, bar::isVisible);
        assertTrue(bar.message().contains("broken.ckpt.npz"), bar.message());
        assertTrue(pane.isModelReady(), "the tiny model stays open");
        assertTrue(robot.lookup("#denoise-model-info").queryAs(Label.class).getText().contains("8x8 grey"));
    }

    /**
     * Open checkpoint... on a reference .pt (g1's weights as torch.save wrote them) with the run's
     * settings beside it, as a folder synced from a GPU server holds them: it opens and samples.
     */
    @Test
    void aPyTorchCheckpointWithItsSettingsBesideItOpensAndSamples(FxRobot robot) throws Exception {
        Path server = Files.createDirectories(tmp.resolve("from-server"));
        Path pt = Files.copy(org.diffusionexplorer.app.testutil.GoldenDir.torch("g1_weights.pt"), server.resolve("ema_0.9999_000100.pt"));
        org.diffusionexplorer.config.RunConfig tiny = org.diffusionexplorer.config.RunConfig.tiny();
        Files.writeString(server.resolve("config.json"), new org.diffusionexplorer.config.RunConfig(org.diffusionexplorer.unet.UNetPresets.g1(),
                tiny.diffusion(), tiny.training(), new org.diffusionexplorer.config.DataSettings("", 16, 1)).toJson());
        robot.interact(() -> pane.openModel(pt));
        robot.clickOn("#nav-denoising");
        ExplorerFixture.waitUntil("the .pt to open", 240, pane::isModelReady);
        String info = robot.lookup("#denoise-model-info").queryAs(Label.class).getText();
        assertTrue(info.contains("16x16 grey") && info.contains("ema 0.9999 after 100 training steps"), info);
        sampleWithDdim(robot, 5);
        assertTrue(robot.lookup("#denoise-status").queryAs(Label.class).getText().startsWith("Done"));
        assertTrue(xt(robot) != null);
    }

    @Test
    void gifAndStripExportsAreReadableImages(FxRobot robot) throws Exception {
        openTiny(robot, 100);
        sampleWithDdim(robot, 10);
        Path gif = tmp.resolve("run.gif"), strip = tmp.resolve("strip.png");
        Task<?>[] tasks = new Task<?>[2];
        robot.interact(() -> {
            tasks[0] = pane.exportGif(gif);
            tasks[1] = pane.exportStrip(strip);
        });
        assertEquals(gif, tasks[0].get(120, TimeUnit.SECONDS));
        assertEquals(strip, tasks[1].get(120, TimeUnit.SECONDS));
        try (ImageInputStream in = ImageIO.createImageInputStream(gif.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            assertEquals("gif", reader.getFormatName().toLowerCase());
            assertEquals(11, reader.getNumImages(true), "every stored frame");
        }
        var png = ImageIO.read(strip.toFile());
        assertTrue(png.getWidth() > 4 * png.getHeight(), "frames in a row: " + png.getWidth() + "x" + png.getHeight());
    }
}
