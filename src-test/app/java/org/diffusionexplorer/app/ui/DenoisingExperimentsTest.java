package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javax.imageio.ImageIO;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.denoising.DenoisingPane;
import org.diffusionexplorer.app.shell.MessageBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The Denoising pane's experiments: samplers side by side, forks from a frame, interpolation between two seeds. */
@ExtendWith(ApplicationExtension.class)
class DenoisingExperimentsTest {
    private ExplorerApp app;
    private DenoisingPane pane;
    @TempDir
    Path tmp;

    @Start
    void start(Stage stage) {
        app = ExplorerFixture.start(stage);
        pane = (DenoisingPane) app.views().get(4);
    }

    private void openTiny(FxRobot robot, int diffusionSteps) throws Exception {
        Path ckpt = TinyModel.checkpoint(tmp, diffusionSteps);
        robot.interact(() -> pane.openModel(ckpt));
        robot.clickOn("#nav-denoising");
        ExplorerFixture.waitUntil("the tiny model to open", 240, pane::isModelReady);
    }

    private void tab(FxRobot robot, int index) {
        robot.interact(() -> robot.lookup(new String[] {"#tab-compare", "#tab-fork", "#tab-interp"}[index])
                .queryAs(javafx.scene.control.ToggleButton.class).fire());
    }

    private static void set(FxRobot robot, String id, String text) {
        robot.interact(() -> robot.lookup(id).queryAs(TextField.class).setText(text));
    }

    private List<ImageView> resultImages(FxRobot robot, String id) {
        List<ImageView> out = new java.util.ArrayList<>();
        collect(robot.lookup(id + "-result").query(), ImageView.class, out);
        return out;
    }

    private String resultText(FxRobot robot, String id) {
        StringBuilder b = new StringBuilder();
        List<Label> labels = new java.util.ArrayList<>();
        collect(robot.lookup(id + "-result").query(), Label.class, labels);
        labels.forEach(l -> b.append(l.getText()).append('\n'));
        return b.toString();
    }

    private static <T> void collect(Node n, Class<T> type, List<T> out) {
        if (type.isInstance(n)) out.add(type.cast(n));
        if (n instanceof javafx.scene.Parent p) for (Node c : p.getChildrenUnmodifiable()) collect(c, type, out);
    }

    private String message(FxRobot robot) {
        MessageBar bar = robot.lookup("#message-bar").queryAs(MessageBar.class);
        ExplorerFixture.waitUntil("a message", 30, bar::isVisible);
        return bar.message();
    }

    /** Scrolls the pane down to the experiments, as a user does (they sit below the timeline). */
    private static void reveal(FxRobot robot, String id) {
        robot.interact(() -> {
            Node n = robot.lookup(id).query();
            for (Node p = n; p != null; p = p.getParent()) {
                if (p instanceof javafx.scene.control.ScrollPane sp) sp.setVvalue(sp.getVmax());
            }
        });
    }

    private static void click(FxRobot robot, String id) {
        reveal(robot, id);
        robot.clickOn(id);
    }

    private static void frame(FxRobot robot, int index) {
        robot.interact(() -> robot.lookup("#denoise-timeline").queryAs(javafx.scene.control.Slider.class).setValue(index));
    }

    private void runAndWait(FxRobot robot, String id) {
        click(robot, id + "-run");
        ExplorerFixture.waitUntil(id + " to finish", 300, () -> !pane.isExperimentRunning(id.substring(1)) && !resultImages(robot, id).isEmpty(),
                () -> robot.lookup(id + "-status").queryAs(Label.class).getText());
    }

    @Test
    void compareShowsEachSettingWithItsCallsAndTime(FxRobot robot) throws Exception {
        openTiny(robot, 100);
        robot.interact(() -> robot.lookup("#compare-kind-3").queryAs(ComboBox.class).getSelectionModel().select(1)); // DDPM, N steps
        set(robot, "#compare-steps-2", "10");
        set(robot, "#compare-steps-3", "5");
        runAndWait(robot, "#compare");
        String text = resultText(robot, "#compare");
        assertTrue(text.contains("DDPM, 100 steps") && text.contains("100 model calls"), text);
        assertTrue(text.contains("DDIM, 10 steps") && text.contains("10 model calls"), text);
        assertTrue(text.contains("DDPM, 5 steps") && text.contains("5 model calls"), text);
        List<ImageView> images = resultImages(robot, "#compare");
        assertEquals(3, images.size());
        assertFalse(Arrays.equals(ExplorerFixture.pixels(images.get(0).getImage()), ExplorerFixture.pixels(images.get(1).getImage())),
                "100 DDPM steps and 10 DDIM steps end in other images");
        assertTrue(robot.lookup("#compare-status").queryAs(Label.class).getText().startsWith("Done"));
        // the tab grows with its result: nothing of it is cut off below
        Node tabs = robot.lookup("#denoise-experiments").query();
        List<Label> labels = new java.util.ArrayList<>();
        collect(robot.lookup("#compare-result").query(), Label.class, labels);
        double bottom = labels.get(labels.size() - 1).localToScene(labels.get(labels.size() - 1).getLayoutBounds()).getMaxY();
        assertTrue(bottom <= tabs.localToScene(tabs.getLayoutBounds()).getMaxY(), "the result's last line is inside the experiments box");

        Path png = tmp.resolve("compare.png");
        Task<?>[] t = new Task<?>[1];
        robot.interact(() -> t[0] = pane.exportExperiment("compare", png));
        assertEquals(png, t[0].get(60, TimeUnit.SECONDS));
        var im = ImageIO.read(png.toFile());
        assertTrue(im.getWidth() > 2 * im.getHeight(), "three columns: " + im.getWidth() + "x" + im.getHeight());
    }

    @Test
    void aLongComparisonCanBeCancelled(FxRobot robot) throws Exception {
        openTiny(robot, 1000);
        click(robot, "#compare-run");
        ExplorerFixture.waitUntil("progress", 120, () -> robot.lookup("#compare-progress").queryAs(ProgressBar.class).getProgress() > 0);
        assertTrue(pane.isExperimentRunning("compare"));
        click(robot, "#compare-cancel");
        assertFalse(pane.isExperimentRunning("compare"), "Cancel answers at once");
        assertTrue(robot.lookup("#compare-status").queryAs(Label.class).getText().startsWith("Cancelled"));
        assertTrue(resultImages(robot, "#compare").isEmpty(), "a cancelled comparison shows nothing half-done");
        assertFalse(robot.lookup("#compare-run").queryAs(Button.class).isDisabled(), "it can run again");
        // the model is free again: a sampling run goes through
        robot.doubleClickOn("#denoise-steps .text-field").write("3").type(KeyCode.ENTER);
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("sampling to finish", 300, () -> !pane.isSampling() && pane.frameCount() == 4);
    }

    @Test
    void badValuesAreRefusedNamingTheField(FxRobot robot) throws Exception {
        openTiny(robot, 100);
        set(robot, "#compare-steps-2", "ten");
        robot.interact(() -> assertFalse(pane.startExperiment("compare")));
        assertTrue(message(robot).contains("setting 2 steps: 'ten'"), message(robot));
        set(robot, "#compare-steps-2", "101");
        robot.interact(() -> assertFalse(pane.startExperiment("compare")));
        assertTrue(message(robot).contains("setting 2 steps: must be 1..100"), message(robot));

        tab(robot, 2);
        set(robot, "#interp-seed-b", "x");
        robot.interact(() -> assertFalse(pane.startExperiment("interp")));
        assertTrue(message(robot).contains("Seed B: 'x'"), message(robot));
        set(robot, "#interp-seed-b", "2");
        set(robot, "#interp-count", "1");
        robot.interact(() -> assertFalse(pane.startExperiment("interp")));
        assertTrue(message(robot).contains("Images: must be 2..12"), message(robot));

        tab(robot, 1);
        robot.interact(() -> assertFalse(pane.startExperiment("fork")));
        assertTrue(message(robot).contains("press Sample first"), message(robot));
        robot.doubleClickOn("#denoise-steps .text-field").write("4").type(KeyCode.ENTER);
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("sampling to finish", 300, () -> !pane.isSampling() && pane.frameCount() == 5);
        robot.interact(() -> assertFalse(pane.startExperiment("fork")));
        assertTrue(message(robot).contains("the finished samples have no steps left"), message(robot));
        frame(robot, 0);
        set(robot, "#fork-count", "0");
        robot.interact(() -> assertFalse(pane.startExperiment("fork")));
        assertTrue(message(robot).contains("Forks: must be 1..8"), message(robot));
        set(robot, "#fork-count", "2");
        set(robot, "#fork-image", "10");
        robot.interact(() -> assertFalse(pane.startExperiment("fork")));
        assertTrue(message(robot).contains("of image: must be 1..9"), message(robot));
        assertFalse(pane.isExperimentRunning("fork") || pane.isExperimentRunning("interp") || pane.isExperimentRunning("compare"),
                "nothing started");
    }

    @Test
    void forksFromAnEarlyFrameDifferAndStartFromIt(FxRobot robot) throws Exception {
        openTiny(robot, 100);
        robot.doubleClickOn("#denoise-steps .text-field").write("10").type(KeyCode.ENTER);
        robot.clickOn("#denoise-sample");
        ExplorerFixture.waitUntil("sampling to finish", 300, () -> !pane.isSampling() && pane.frameCount() == 11);
        frame(robot, 2);
        tab(robot, 1);
        set(robot, "#fork-count", "3");
        runAndWait(robot, "#fork");
        String text = resultText(robot, "#fork");
        assertTrue(text.contains("call 3 of 10") && text.contains("3 forks") && text.contains("8 model calls each"), text);
        List<ImageView> images = resultImages(robot, "#fork");
        assertEquals(2, images.size(), "the starting x_t and the row of forks");
        javafx.scene.image.Image forks = images.get(1).getImage();
        int tile = (int) forks.getHeight(), gap = tile / 4; // 8 px images, 2 px gaps, both scaled alike
        assertEquals(3 * tile + 2 * gap, (int) forks.getWidth());
        assertFalse(Arrays.equals(crop(forks, 0, tile), crop(forks, tile + gap, tile)), "fresh noise: the forks differ");
    }

    private static int[] crop(javafx.scene.image.Image im, int x0, int w) {
        int h = (int) im.getHeight();
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) out[y * w + x] = im.getPixelReader().getArgb(x0 + x, y);
        return out;
    }

    @Test
    void interpolationFillsARowAndCanBeCancelled(FxRobot robot) throws Exception {
        openTiny(robot, 1000);
        tab(robot, 2);
        set(robot, "#interp-steps", "1000");
        click(robot, "#interp-run");
        ExplorerFixture.waitUntil("progress", 120, () -> robot.lookup("#interp-progress").queryAs(ProgressBar.class).getProgress() > 0);
        click(robot, "#interp-cancel");
        assertFalse(pane.isExperimentRunning("interp"));
        assertTrue(robot.lookup("#interp-status").queryAs(Label.class).getText().startsWith("Cancelled"));

        set(robot, "#interp-steps", "5");
        set(robot, "#interp-count", "5");
        runAndWait(robot, "#interp");
        String text = resultText(robot, "#interp");
        assertTrue(text.contains("seed 1  ->  seed 2") && text.contains("DDIM 5 steps") && text.contains("5 images"), text);
        ImageView strip = resultImages(robot, "#interp").get(0);
        assertTrue(strip.getImage().getWidth() > 4 * strip.getImage().getHeight(), "one row");
        Node unused = robot.lookup("#interp-view").query();
        assertTrue(unused.isVisible());
    }
}
