package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import javafx.scene.chart.LineChart;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.likelihood.LikelihoodPane;
import org.diffusionexplorer.app.likelihood.VbTermsJob;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/** Pane 6: the bound's curves fill in the background, can be cancelled, and bad field values are refused by name. */
@ExtendWith(ApplicationExtension.class)
class LikelihoodPaneTest {
    private ExplorerApp app;
    private Stage stage;

    @Start
    void start(Stage stage) {
        this.stage = stage;
        app = ExplorerFixture.start(stage);
    }

    private LikelihoodPane pane() {
        return (LikelihoodPane) app.views().stream().filter(v -> v.key().equals("likelihood")).findFirst().orElseThrow();
    }

    private void set(FxRobot robot, String field, String value) {
        robot.interact(() -> robot.lookup(field).queryAs(TextField.class).setText(value));
    }

    @Test
    void measuresRealAndShuffledDigitsAndExports(FxRobot robot) throws Exception {
        robot.clickOn("#nav-likelihood");
        set(robot, "#vb-images", "3");
        set(robot, "#vb-steps", "5");
        robot.clickOn("#vb-run");
        ExplorerFixture.waitUntil("the bound's curves", 180, () -> pane().resultProperty().get() != null,
                () -> robot.lookup("#vb-status").queryAs(Label.class).getText());
        VbTermsJob.Result r = pane().resultProperty().get();
        assertEquals(3, r.real().images());
        assertEquals(5, r.real().t().length);
        assertArrayEquals(r.real().t(), r.shuffled().t(), "the same timesteps for both batches");
        assertEquals(0, r.real().t()[0]);
        assertTrue(r.real().totalBpd() < r.shuffled().totalBpd(), "real " + r.real().totalBpd() + ", shuffled " + r.shuffled().totalBpd());
        assertEquals(Arrays.stream(r.real().vbBpd()).sum() + r.real().priorBpd(), r.real().totalBpd(), 1e-9);

        LineChart<?, ?> vb = robot.lookup("#vb-chart").queryAs(LineChart.class);
        assertEquals(2, vb.getData().size(), "real and shuffled");
        assertEquals(5, vb.getData().get(0).getData().size());
        for (String c : new String[] {"#x0-chart", "#eps-chart"}) {
            assertEquals(2, robot.lookup(c).queryAs(LineChart.class).getData().size(), c + ": real and shuffled");
        }
        String totals = robot.lookup("#vb-totals").queryAs(Label.class).getText();
        assertTrue(totals.contains(String.format(java.util.Locale.ROOT, "real digits %.2f bits/dim", r.real().totalBpd())), totals);
        assertTrue(robot.lookup("#vb-status").queryAs(Label.class).getText().startsWith("Done"));
        if (System.getProperty("screenshots.dir") != null) { // the README's picture: the pane's default 16 digits, 20 timesteps
            set(robot, "#vb-images", "16");
            set(robot, "#vb-steps", "20");
            robot.clickOn("#vb-run");
            ExplorerFixture.waitUntil("the screenshot's curves", 600, () -> pane().resultProperty().get().real().images() == 16);
            Shots.maybe(robot, stage.getScene(), "10-where-the-model-is-unsure");
        }

        Path png = Files.createTempFile("vb", ".png");
        robot.interact(() -> {
            try {
                pane().exportPng(png);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
        Files.delete(png);
    }

    @Test
    void aRunCanBeCancelled(FxRobot robot) {
        robot.clickOn("#nav-likelihood");
        set(robot, "#vb-images", "4");
        set(robot, "#vb-steps", "400");
        robot.clickOn("#vb-run");
        ProgressBar bar = robot.lookup("#vb-progress").queryAs(ProgressBar.class);
        ExplorerFixture.waitUntil("the first model calls", 120, () -> bar.getProgress() > 0);
        robot.clickOn("#vb-cancel");
        ExplorerFixture.waitUntil("the run to stop", 60, () -> !pane().runningProperty().get());
        String status = robot.lookup("#vb-status").queryAs(Label.class).getText();
        assertTrue(status.startsWith("Cancelled at real digits: model call"), status);
        assertTrue(bar.getProgress() < 0.5, "stopped long before the end: " + bar.getProgress());
        assertNull(pane().resultProperty().get(), "no curves from a cancelled run");
    }

    @Test
    void badValuesAreRefusedNamingTheField(FxRobot robot) {
        robot.clickOn("#nav-likelihood");
        Label error = robot.lookup("#vb-error").queryAs(Label.class);
        set(robot, "#vb-images", "many");
        robot.clickOn("#vb-run");
        assertTrue(error.getText().startsWith("Digits:") && error.getText().contains("'many'"), error.getText());
        set(robot, "#vb-images", "1001");
        robot.clickOn("#vb-run");
        assertTrue(error.getText().startsWith("Digits:") && error.getText().contains("1 to 1000"), error.getText());
        set(robot, "#vb-images", "2");
        set(robot, "#vb-steps", "0");
        robot.clickOn("#vb-run");
        assertTrue(error.getText().startsWith("Timesteps:"), error.getText());
        assertFalse(pane().runningProperty().get(), "nothing started");
        assertNull(pane().resultProperty().get());
    }
}
