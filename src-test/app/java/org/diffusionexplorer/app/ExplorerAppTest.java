package org.diffusionexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.controlsfx.control.StatusBar;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class ExplorerAppTest {
    private Stage stage;
    private ExplorerApp app;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = new ExplorerApp();
        app.start(stage);
    }

    @Test
    void windowOpensWithFivePanesAndTheBackendInTheStatusBar(FxRobot robot) throws Exception {
        assertTrue(stage.isShowing());
        assertEquals("Diffusion Explorer", stage.getTitle());
        for (String key : new String[] {"embedding", "architecture", "noising", "training", "denoising"}) {
            assertTrue(robot.lookup("#nav-" + key).tryQuery().isPresent(), key);
        }
        assertTrue(robot.lookup("#pane-embedding").tryQuery().isPresent(), "the first pane shows at start");
        StatusBar bar = robot.lookup("#status-bar").queryAs(StatusBar.class);
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS, () -> bar.getText().startsWith("Backend: "));
        assertTrue(bar.getText().contains("ND4J") && bar.getText().contains("CPU"), bar.getText());
        assertTrue(robot.lookup("#status-memory").queryAs(Label.class).getText().startsWith("Memory: heap "));
    }

    @Test
    void theStatusBarKeepsItsLabelsApart(FxRobot robot) {
        // "Working in the background..." and "Memory: heap ..." once ran together as one sentence
        Label busy = robot.lookup("#status-busy").queryAs(Label.class);
        Label memory = robot.lookup("#status-memory").queryAs(Label.class);
        // apart twice: a gap before the memory label's rule, and room between the rule and its text
        double gap = memory.getBoundsInParent().getMinX() - busy.getBoundsInParent().getMaxX();
        assertTrue(gap >= 8, "space between the busy note and the rule: " + gap + " px");
        assertTrue(memory.snappedLeftInset() >= 8, "space between the rule and the memory figure: " + memory.snappedLeftInset() + " px");
    }

    @Test
    void keyboardSwitchesPanes(FxRobot robot) {
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT4).release(KeyCode.CONTROL);
        Node training = robot.lookup("#pane-training").query();
        assertTrue(robot.lookup("#pane-training .pane-heading").queryAs(Label.class).getText().startsWith("Training"));
        assertTrue(training.isVisible());
        robot.press(KeyCode.CONTROL).type(KeyCode.DIGIT2).release(KeyCode.CONTROL);
        assertTrue(robot.lookup("#pane-architecture").tryQuery().isPresent());
        assertFalse(robot.lookup("#pane-training").tryQuery().isPresent());
    }

    @Test
    void classroomModeSwitchesTheStyleAndBack(FxRobot robot) {
        Node root = stage.getScene().getRoot();
        assertFalse(root.getStyleClass().contains("classroom"));
        robot.clickOn("#classroom-switch .thumb-area");
        assertTrue(root.getStyleClass().contains("classroom"));
        robot.type(KeyCode.F11);
        assertFalse(root.getStyleClass().contains("classroom"));
    }
}
