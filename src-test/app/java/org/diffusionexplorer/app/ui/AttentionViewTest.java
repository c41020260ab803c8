package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.architecture.ArchitecturePane;
import org.diffusionexplorer.app.architecture.AttentionView;
import org.diffusionexplorer.app.architecture.UntrainedUNet;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.unet.UNetModel;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Issue 17 part 6: click an attention block, then a pixel of the input, and see each head's weights for that position. */
@ExtendWith(ApplicationExtension.class)
class AttentionViewTest {
    private ExplorerApp app;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = ExplorerFixture.start(stage);
    }

    private ArchitecturePane pane() {
        return (ArchitecturePane) app.views().get(1);
    }

    private AttentionView view() {
        return pane().attention();
    }

    private void chooseG1(FxRobot robot) {
        robot.clickOn("#nav-architecture");
        robot.clickOn("#preset-combo");
        robot.clickOn("g1 (golden test model, 16x16)");
        ExplorerFixture.waitUntil("the g1 diagram", 10, () -> UNetPresets.g1().equals(pane().configProperty().get()));
    }

    @Test
    void clickingAPixelShowsWhereItAttendsPerHead(FxRobot robot) throws Exception {
        chooseG1(robot);
        robot.clickOn("#block-down_01"); // a ResBlock: no attention to show
        assertFalse(view().isVisible());
        robot.clickOn("#block-down_03"); // ResBlock + attention at 8x8, 2 heads
        assertTrue(view().isVisible());
        ExplorerFixture.waitUntil("attention maps", 120, () -> view().maps() != null && view().headCount() == 2,
                () -> robot.lookup("#attention-note").queryAs(Label.class).getText());

        // click input pixel (2, 12) of the 16x16 image shown at 128 px: cell (1, 6) of the 8x8 grid
        Node input = robot.lookup("#attention-input").query();
        Point2D p = input.localToScreen(12.5 * SHOWN / 16, 2.5 * SHOWN / 16);
        robot.clickOn(p);
        String note = robot.lookup("#attention-note").queryAs(Label.class).getText();
        assertTrue(note.contains("query pixel (2, 12) is cell (1, 6)"), note);

        // the same seeded g1 UNet, the same image and t, computed here directly: head h's row of query 1*8+6
        int t = (int) Math.round(robot.lookup("#fm-t").queryAs(javafx.scene.control.Slider.class).getValue());
        ImageData img = app.context().datasetImage("mnist", 0, 16, 1);
        try (UNetModel m = UNetModel.create(UNetPresets.g1(), UntrainedUNet.FEATURE_SEED)) {
            List<UNetModel.Attention> all = m.attention(Nd4j.create(img.data(), new long[] {1, 1, 16, 16}, 'c'),
                    Nd4j.createFromArray(new float[] {t}), null);
            UNetModel.Attention a = all.get(0);
            assertEquals("input_blocks.3.1", a.module());
            double[] w = a.weights().castTo(DataType.DOUBLE).dup('c').data().asDouble();
            for (int h = 0; h < 2; h++) {
                double[] shown = view().shownRow(h);
                assertEquals(64, shown.length);
                assertEquals(1.0, Arrays.stream(shown).sum(), 1e-5, "a softmax row sums to 1");
                double[] expected = Arrays.copyOfRange(w, (h * 64 + 14) * 64, (h * 64 + 15) * 64);
                assertArrayEquals(expected, shown, 1e-6, "head " + h);
            }
        }
        Shots.maybe(robot, stage.getScene(), "11-attention");

        Path png = Files.createTempFile("attention", ".png");
        robot.interact(() -> {
            try {
                view().exportPng(png);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, Arrays.copyOf(Files.readAllBytes(png), 8));
        Files.delete(png);
    }

    /** AttentionView's size of the input on screen. */
    private static final double SHOWN = 128;

    @Test
    void waitingForTheWeightsCanBeCancelled(FxRobot robot) {
        robot.clickOn("#nav-architecture");
        robot.clickOn("#preset-combo");
        robot.clickOn("CIFAR-10 (the reference's README model)"); // 52.5 M parameters: seconds to build, time to cancel
        ExplorerFixture.waitUntil("the CIFAR-10 diagram", 10, () -> UNetPresets.cifar10().equals(pane().configProperty().get()));
        robot.interact(() -> pane().selectBlock("middle"));
        assertTrue(view().computingProperty().get(), "a request is under way");
        robot.clickOn("#attention-cancel");
        ExplorerFixture.waitUntil("the request to end", 60, () -> !view().computingProperty().get());
        assertEquals("Cancelled.", robot.lookup("#attention-note").queryAs(Label.class).getText());
        assertNull(view().maps(), "no maps from a cancelled request");
        // the pass under way finishes in the background; its result must not appear
        ExplorerFixture.waitUntil("the background work to finish", 300, () -> app.context().background().runningProperty().get() == 0);
        assertNull(view().maps());
    }
}
