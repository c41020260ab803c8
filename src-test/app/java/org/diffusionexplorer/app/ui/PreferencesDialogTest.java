package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.settings.Settings;
import org.diffusionexplorer.app.settings.SettingsStore;
import org.diffusionexplorer.app.settings.Theme;
import org.diffusionexplorer.app.shell.MessageBar;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** File > Preferences (Ctrl+,): bad values keep the dialog open naming the field; good ones apply and are stored. */
@ExtendWith(ApplicationExtension.class)
class PreferencesDialogTest {
    private final String oldDir = System.getProperty(SettingsStore.DIR_PROPERTY);
    private Path settingsDir;
    private Stage stage;
    private ExplorerApp app;

    @Start
    void start(Stage stage) throws Exception {
        settingsDir = Files.createTempDirectory("explorer-prefs");
        System.setProperty(SettingsStore.DIR_PROPERTY, settingsDir.toString());
        this.stage = stage;
        app = ExplorerFixture.start(stage);
    }

    @AfterEach
    void restore() {
        if (oldDir == null) System.clearProperty(SettingsStore.DIR_PROPERTY);
        else System.setProperty(SettingsStore.DIR_PROPERTY, oldDir);
    }

    @Test
    void invalidValuesAreRefusedByNameAndValidOnesApplyAndPersist(FxRobot robot) throws Exception {
        robot.press(KeyCode.CONTROL).type(KeyCode.COMMA).release(KeyCode.CONTROL);
        ExplorerFixture.waitUntil("the Preferences dialog", 10, () -> robot.lookup("#preferences-dialog").tryQuery().isPresent());
        DialogPane dialog = robot.lookup("#preferences-dialog").queryAs(DialogPane.class);
        var window = dialog.getScene().getWindow();
        assertEquals("pane-embedding", app.shell().current().node().getId(), "Ctrl+, is not a step of the pane");

        TextField threads = robot.lookup("#prefs-threads").queryAs(TextField.class);
        TextField folder = robot.lookup("#prefs-run-folder").queryAs(TextField.class);
        robot.interact(() -> threads.setText("lots"));
        robot.clickOn("#prefs-ok");
        String error = robot.lookup("#prefs-error").queryAs(Label.class).getText();
        assertTrue(error.startsWith("Thread count: ") && error.contains("lots"), error);
        assertTrue(window.isShowing(), "a bad value keeps the dialog open");

        robot.interact(() -> {
            threads.setText("2");
            folder.setText(settingsDir.resolve("no-such-run").toString());
        });
        robot.clickOn("#prefs-ok");
        error = robot.lookup("#prefs-error").queryAs(Label.class).getText();
        assertTrue(error.startsWith("Last run folder: "), error);
        Node ok = robot.lookup("#prefs-ok").query();
        assertTrue(ok.localToScene(ok.getLayoutBounds()).getMaxY() <= dialog.getScene().getHeight(),
                "the dialog grows with the message: its buttons stay in sight");
        Shots.maybe(robot, dialog.getScene(), "9-preferences");
        Settings settings = app.context().settings();
        assertEquals(0, settings.threadsProperty().get(), "nothing is stored while one field is bad");

        Path run = Files.createDirectories(settingsDir.resolve("runs/run-7"));
        @SuppressWarnings("unchecked")
        ComboBox<Theme> theme = robot.lookup("#prefs-theme").queryAs(ComboBox.class);
        robot.interact(() -> {
            folder.setText(run.toString());
            theme.setValue(Theme.DARK);
        });
        robot.clickOn("#prefs-ok");
        assertFalse(window.isShowing());
        assertEquals(2, settings.threadsProperty().get());
        assertEquals(Theme.DARK, settings.themeProperty().get());
        assertEquals(run.toAbsolutePath().normalize(), settings.lastRunFolderProperty().get());
        assertTrue(stage.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("explorer-dark.css")), "dark applies at once");
        Shots.maybe(robot, stage.getScene(), "9-dark-theme");
        String message = robot.lookup("#message-bar").queryAs(MessageBar.class).message();
        assertTrue(message.contains("applies at the next start"), message);

        Path file = settingsDir.resolve(SettingsStore.FILE);
        ExplorerFixture.waitUntil("the stored preferences", 30,
                () -> Files.exists(file) && Files.readString(file).contains("\"threads\" : 2"));
        var stored = new SettingsStore(settingsDir, w -> { }).load();
        assertEquals(Theme.DARK, stored.theme());
        assertEquals(run.toAbsolutePath().normalize(), stored.lastRunFolder());

        // classroom mode: the switch is the preference
        robot.clickOn("#classroom-switch .thumb-area");
        assertTrue(settings.classroomProperty().get());
        robot.type(KeyCode.F11);
        assertFalse(settings.classroomProperty().get());
        robot.interact(() -> settings.themeProperty().set(Theme.LIGHT));
        assertFalse(stage.getScene().getStylesheets().stream().anyMatch(s -> s.endsWith("explorer-dark.css")));
    }
}
