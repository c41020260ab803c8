package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.settings.SettingsStore;
import org.diffusionexplorer.app.shell.GuidedTour;
import org.diffusionexplorer.app.shell.PaneSlot;
import org.diffusionexplorer.app.shell.WelcomeOverlay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** The first start in an empty settings folder: the welcome, its "don't show again", and the tour through every pane. */
@ExtendWith(ApplicationExtension.class)
class FirstRunTest {
    private final String oldDir = System.getProperty(SettingsStore.DIR_PROPERTY);
    private Path settingsDir;
    private Stage stage;
    private ExplorerApp app;

    @Start
    void start(Stage stage) throws Exception {
        settingsDir = Files.createTempDirectory("explorer-first-run");
        System.setProperty(SettingsStore.DIR_PROPERTY, settingsDir.toString());
        System.setProperty(WelcomeOverlay.PROPERTY, "true");
        this.stage = stage;
        app = new ExplorerApp();
        app.start(stage);
    }

    @AfterEach
    void restore() {
        if (oldDir == null) System.clearProperty(SettingsStore.DIR_PROPERTY);
        else System.setProperty(SettingsStore.DIR_PROPERTY, oldDir);
        System.setProperty(WelcomeOverlay.PROPERTY, "false");
    }

    /** One app start for all of it: starting the window is the slow part on a busy machine. */
    @Test
    void welcomeOnTheFirstStartOnlyAndItsTourVisitsEveryPane(FxRobot robot) throws Exception {
        assertTrue(app.windowSettings().welcome().isShowing());
        assertEquals(List.of("embedding"), madePanes(), "the window opens with only the pane it shows made");
        assertTrue(robot.lookup("#welcome-dont-show").queryAs(CheckBox.class).isSelected(), "ticked by default");
        Shots.maybe(robot, stage.getScene(), "9-welcome");

        robot.clickOn("#welcome-tour");
        assertFalse(app.windowSettings().welcome().isShowing());
        GuidedTour tour = app.windowSettings().tour();
        assertTrue(tour.isRunning());
        String[] panes = {"embedding", "architecture", "noising", "training", "denoising", "likelihood"};
        assertEquals(panes.length, GuidedTour.STEPS.size());
        for (int i = 0; i < panes.length; i++) {
            assertEquals(i, tour.stepProperty().get());
            assertEquals(panes[i], app.shell().current().key());
            assertTrue(robot.lookup("#pane-" + panes[i]).tryQuery().isPresent(), panes[i] + " is shown");
            assertTrue(robot.lookup("#tour-counter").queryAs(Label.class).getText().startsWith("Step " + (i + 1) + " of " + panes.length));
            Node callout = robot.lookup("#tour-callout").query();
            var b = callout.localToScene(callout.getLayoutBounds());
            var scene = stage.getScene();
            assertTrue(b.getMinX() >= 0 && b.getMinY() >= 0 && b.getMaxX() <= scene.getWidth() && b.getMaxY() <= scene.getHeight(),
                    "the callout stays inside the window at step " + (i + 1) + ": " + b);
            if (i == 2) {
                Node images = robot.lookup("#noise-images").query();
                assertFalse(b.intersects(images.localToScene(images.getLayoutBounds())),
                        "the callout leaves x_0, x_t and eps in sight: " + b);
                Shots.maybe(robot, scene, "9-tour-forward-noising");
            }
            if (i == 1) { // Back returns, Next goes on
                robot.clickOn("#tour-back");
                assertEquals("embedding", app.shell().current().key());
                robot.clickOn("#tour-next");
            }
            robot.clickOn("#tour-next"); // the last one says Finish
        }
        assertFalse(tour.isRunning());
        assertEquals(List.of(panes), madePanes(), "each pane is made when the tour first shows it");
        assertFalse(robot.lookup("#tour-callout").tryQuery().isPresent(), "the callout goes with the tour");

        // "don't show again" is stored (on the store's thread); a second start with the same folder has no welcome
        Path file = settingsDir.resolve(SettingsStore.FILE);
        ExplorerFixture.waitUntil("the settings file", 30,
                () -> Files.exists(file) && Files.readString(file).contains("\"welcomeDone\" : true"));
        ExplorerApp[] second = new ExplorerApp[1];
        Stage[] stage2 = new Stage[1];
        robot.interact(() -> {
            stage2[0] = new Stage();
            second[0] = new ExplorerApp();
            second[0].start(stage2[0]);
        });
        try {
            assertFalse(second[0].windowSettings().welcome().isShowing());
        } finally {
            robot.interact(() -> {
                stage2[0].close();
                second[0].stop();
            });
        }
    }

    private List<String> madePanes() {
        return app.shell().panes().stream().filter(p -> p.made().isPresent()).map(PaneSlot::key).toList();
    }

    @Test
    void theWelcomeAndTheTourReadWholeInClassroomMode(FxRobot robot) {
        robot.interact(() -> app.context().settings().classroomProperty().set(true));
        try {
            robot.interact(() -> {}); // a pulse: CSS and layout in the large type
            // a fixed 560-pixel card cut them to "N..." and "Take t..."
            for (String id : new String[] {"#welcome-dont-show", "#welcome-close", "#welcome-tour"}) {
                javafx.scene.control.Labeled l = robot.lookup(id).queryAs(javafx.scene.control.Labeled.class);
                assertEquals(l.getText(), ExplorerFixture.drawnText(l), id);
            }
            robot.clickOn("#welcome-tour");
            for (String id : new String[] {"#tour-title", "#tour-skip", "#tour-back", "#tour-next"}) {
                javafx.scene.control.Labeled l = robot.lookup(id).queryAs(javafx.scene.control.Labeled.class);
                assertEquals(l.getText(), ExplorerFixture.drawnText(l), id);
            }
            robot.clickOn("#tour-skip");
        } finally {
            robot.interact(() -> app.context().settings().classroomProperty().set(false));
        }
    }
}
