package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.image.Image;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionexplorer.app.view.HeatMapView;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class TimeEmbeddingPaneTest {

    @Start
    void start(Stage stage) {
        ExplorerFixture.start(stage);
    }

    private static Image heat(FxRobot robot) {
        return robot.lookup("#embedding-heatmap").queryAs(HeatMapView.class).imageProperty().get();
    }

    @Test
    void heatMapPixelsChangeWithTheDimension(FxRobot robot) {
        ExplorerFixture.waitUntil("the first heat-map", 30, () -> heat(robot) != null);
        Image before = heat(robot);
        assertEquals(128, (int) before.getWidth(), "one column per embedding index");
        assertEquals(1000, (int) before.getHeight(), "one row per timestep");
        int[] px = ExplorerFixture.pixels(before);

        // The user types a new dimension into the spinner and presses Enter.
        robot.doubleClickOn("#embed-dim").eraseText(6).write("64").type(KeyCode.ENTER);
        ExplorerFixture.waitUntil("a new heat-map", 30, () -> heat(robot) != before);
        Image after = heat(robot);
        assertEquals(64, (int) after.getWidth());
        assertFalse(Arrays.equals(px, Arrays.copyOf(ExplorerFixture.pixels(after), px.length)), "pixels changed");
        assertEquals(64, robot.lookup("#embed-dim").queryAs(Spinner.class).getValue());
    }

    @Test
    void bothLayoutsAreLabelledAndDiffer(FxRobot robot) {
        ExplorerFixture.waitUntil("the first heat-map", 30, () -> heat(robot) != null);
        Label label = robot.lookup("#layout-label").queryAs(Label.class);
        ExplorerFixture.waitUntil("layout label", 10, () -> label.getText().contains("cos"));
        assertTrue(label.getText().startsWith("Reference layout"), label.getText());
        assertTrue(label.getText().contains("columns 0..63 are cos"), label.getText());
        int[] ref = ExplorerFixture.pixels(heat(robot));
        Image old = heat(robot);

        robot.clickOn("#layout-interleaved");
        ExplorerFixture.waitUntil("the interleaved heat-map", 30, () -> heat(robot) != old);
        assertTrue(label.getText().contains("even columns 2k are sin"), label.getText());
        int[] inter = ExplorerFixture.pixels(heat(robot));
        assertFalse(Arrays.equals(ref, inter));
        // Row t = 0: the reference starts with cos(0) = 1 (red), the interleaved layout with sin(0) = 0 (white).
        assertTrue(((ref[0] >> 16) & 0xff) > (ref[0] & 0xff) + 50, Integer.toHexString(ref[0]));
        assertTrue(((inter[0] >> 16) & 0xff) > 230 && (inter[0] & 0xff) > 230, Integer.toHexString(inter[0]));
    }

    @Test
    void hoverShowsTimestepIndexFrequencyAndValue(FxRobot robot) {
        ExplorerFixture.waitUntil("the first heat-map", 30, () -> heat(robot) != null);
        robot.moveTo("#embedding-heatmap");
        Label hover = robot.lookup("#embedding-hover").queryAs(Label.class);
        ExplorerFixture.waitUntil("hover text", 5, () -> hover.getText().contains("t = "));
        String s = hover.getText();
        assertTrue(s.contains("index") && s.contains("frequency") && s.contains("value"), s);
    }

    @Test
    void theSampledTimestepSliderMovesTheHighlightedRow(FxRobot robot) {
        ExplorerFixture.waitUntil("the first heat-map", 30, () -> heat(robot) != null);
        HeatMapView h = robot.lookup("#embedding-heatmap").queryAs(HeatMapView.class);
        assertEquals(500, h.highlightedRowProperty().get());
        robot.clickOn("#embed-t").type(KeyCode.HOME);
        assertEquals(0, h.highlightedRowProperty().get());
        robot.type(KeyCode.RIGHT, 3);
        Slider s = robot.lookup("#embed-t").queryAs(Slider.class);
        assertEquals((int) s.getValue(), h.highlightedRowProperty().get());
        assertTrue(h.highlightedRowProperty().get() > 0);
        assertNotNull(robot.lookup("#similarity-matrix").queryAs(HeatMapView.class).imageProperty().get());
    }

    @Test
    void eachPanesSegmentedButtonShowsItsChoiceOnceShown(FxRobot robot) {
        // the segmented buttons' skins, made when a pane is first shown, dropped the selection they were given
        String[][] paneAndChoice = {{"#nav-embedding", "#layout-reference"}, {"#nav-noising", "#noise-schedule-cosine"},
            {"#nav-denoising", "#denoise-ddim"}};
        for (String[] p : paneAndChoice) {
            robot.clickOn(p[0]);
            assertTrue(robot.lookup(p[1]).queryAs(javafx.scene.control.ToggleButton.class).isSelected(), p[1] + " lit on " + p[0]);
        }
    }
}
