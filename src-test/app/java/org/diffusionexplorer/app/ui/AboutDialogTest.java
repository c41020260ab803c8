package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.MenuItem;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.shell.AboutInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Help > About: versions of the app, Java, JavaFX, ND4J and its backend; libraries and bundled data with licences. */
@ExtendWith(ApplicationExtension.class)
class AboutDialogTest {
    private ExplorerApp app;

    @Start
    void start(Stage stage) {
        app = ExplorerFixture.start(stage);
    }

    @Test
    void aboutListsVersionsAndLicences(FxRobot robot) {
        MenuItem about = app.shell().menus().help().getItems().stream()
                .filter(i -> "menu-about".equals(i.getId())).findFirst().orElseThrow();
        robot.interact(about::fire);
        DialogPane pane = robot.lookup("#about-dialog").queryAs(DialogPane.class);
        assertEquals("0.1.0-SNAPSHOT", text(robot, "#about-version"), "the pom's version");
        assertTrue(text(robot, "#about-java").startsWith(System.getProperty("java.version")));
        assertTrue(text(robot, "#about-javafx").startsWith("21"), text(robot, "#about-javafx"));
        assertEquals("1.0.0-M2.1", text(robot, "#about-nd4j"));
        ExplorerFixture.waitUntil("the backend", 120, () -> !text(robot, "#about-backend").startsWith("loading"));
        assertTrue(text(robot, "#about-backend").contains("CPU"), text(robot, "#about-backend"));

        @SuppressWarnings("unchecked")
        TableView<AboutInfo.Library> libs = robot.lookup("#about-libraries").queryAs(TableView.class);
        Map<String, String> licence = new java.util.HashMap<>();
        for (AboutInfo.Library l : libs.getItems()) licence.put(l.name().split(" ")[0], l.licence());
        assertEquals("GPL-2.0 with Classpath Exception", licence.get("OpenJFX"));
        assertEquals("Apache-2.0", licence.get("ND4J"));
        assertEquals("BSD-3-Clause", licence.get("ControlsFX"));
        assertEquals("Apache-2.0", licence.get("picocli"));
        assertEquals("Apache-2.0", licence.get("Jackson"));

        TextArea data = robot.lookup("#about-data").queryAs(TextArea.class);
        ExplorerFixture.waitUntil("the bundled data", 30, () -> data.getText().contains("digit-classifier (model)"));
        assertTrue(data.getText().contains("mnist (dataset)"), data.getText());
        Shots.maybe(robot, pane.getScene(), "9-about");
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }
}
