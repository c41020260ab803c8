package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.training.TrainingPane;
import org.diffusionexplorer.app.training.TrainingRuns;
import org.diffusionexplorer.app.view.PngWriter;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.train.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Pane 4 driven as a user would, on the tiny preset (8x8 MNIST). Waits are long: on the shared
 * 2-core machine a tiny step has taken from 30 ms (idle) to 20 s (load 15).
 */
@ExtendWith(ApplicationExtension.class)
class TrainingPaneTest {
    private static final int SLOW_S = 600;
    private ExplorerApp app;
    private TrainingPane pane;
    private Path runs;

    @BeforeAll
    static void patientSetup() {
        // Opening the window has taken over TestFX's default 30 s on this machine at load 20.
        FxToolkit.toolkitContext().setSetupTimeoutInMillis(180_000);
    }

    @Start
    void start(Stage stage) throws IOException {
        runs = Files.createTempDirectory("training-pane-test");
        System.setProperty(TrainingRuns.RUNS_PROPERTY, runs.toString()); // never the user's home
        app = ExplorerFixture.start(stage);
        pane = (TrainingPane) app.views().get(3);
    }

    @AfterEach
    void endRun(FxRobot robot) throws IOException {
        ExplorerFixture.endTraining(robot, pane);
        System.clearProperty(TrainingRuns.RUNS_PROPERTY);
        try (Stream<Path> s = Files.walk(runs)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private MessageBar messages(FxRobot robot) {
        return robot.lookup("#message-bar").queryAs(MessageBar.class);
    }

    private boolean disabled(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Button.class).isDisabled();
    }

    /** With -Dscreenshots.dir (as ScreenshotsTest): the pane while a run trains, for the README. */
    private void shootIfAsked(FxRobot robot, String name) throws Exception {
        String d = System.getProperty("screenshots.dir");
        if (d == null || d.isBlank()) return;
        Path file = Files.createDirectories(Path.of(d)).resolve(name + ".png");
        robot.sleep(600);
        robot.interact(() -> {
            try {
                PngWriter.write(robot.lookup("#pane-training").query().getScene().snapshot(null), file);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private long step() {
        return pane.session().step();
    }

    @Test
    void aTinyRunTrainsPausesStepsResumesStopsAndReopens(FxRobot robot) throws Exception {
        robot.clickOn("#nav-training");
        assertEquals(0, pane.chartView().lossPoints());
        assertFalse(disabled(robot, "#train-start"));
        assertTrue(disabled(robot, "#train-pause") && disabled(robot, "#train-stop") && disabled(robot, "#train-resume"),
                "nothing to pause, resume or stop yet");
        robot.interact(() -> {
            robot.lookup("#train-preset").queryAs(ComboBox.class).setValue("tiny");
            pane.setField("minutes", "0");
            pane.setField("steps", "100000");
            pane.setField("sample_interval", "3");
            pane.setField("sample_steps", "2");
        });
        robot.clickOn("#train-start");

        // Training adds points to the chart and draws both grids.
        ExplorerFixture.waitUntil("three steps", SLOW_S, () -> pane.session() != null && step() >= 3);
        ExplorerFixture.waitUntil("points on the chart", 60, () -> pane.chartView().lossPoints() >= 3);
        assertTrue(pane.chartView().quarterPoints() > 0, "the per-quarter lines have points");
        ExplorerFixture.waitUntil("the first grids", SLOW_S, () -> pane.gridStep() >= 3);
        assertNotNull(robot.lookup("#train-grid-ema").queryAs(ImageView.class).getImage());
        assertNotNull(robot.lookup("#train-grid-raw").queryAs(ImageView.class).getImage());
        assertTrue(disabled(robot, "#train-start") && disabled(robot, "#train-open"), "no second run while one trains");
        shootIfAsked(robot, "4-training-live");

        // Pause holds the step count; Step (and '.') do exactly one step each.
        robot.clickOn("#train-pause");
        ExplorerFixture.waitUntil("the run to pause", SLOW_S, () -> pane.state() == RunStatus.PAUSED);
        long held = step();
        Thread.sleep(2000);
        assertEquals(held, step(), "no steps while paused");
        assertTrue(disabled(robot, "#train-pause"));
        assertFalse(disabled(robot, "#train-resume"));
        robot.clickOn("#train-step");
        ExplorerFixture.waitUntil("one step", SLOW_S, () -> step() == held + 1 && pane.state() == RunStatus.PAUSED);
        Thread.sleep(1000);
        assertEquals(held + 1, step(), "Step does exactly one step");
        robot.type(KeyCode.PERIOD);
        ExplorerFixture.waitUntil("one more step", SLOW_S, () -> step() == held + 2 && pane.state() == RunStatus.PAUSED);
        ExplorerFixture.waitUntil("the label to follow", 30,
                () -> robot.lookup("#train-step-count").queryAs(Label.class).getText().startsWith(String.format("%,d /", held + 2)));

        // Resume continues; Space pauses again.
        robot.clickOn("#train-resume");
        ExplorerFixture.waitUntil("steps after Resume", SLOW_S, () -> step() >= held + 4);
        robot.type(KeyCode.SPACE);
        ExplorerFixture.waitUntil("Space to pause", SLOW_S, () -> pane.state() == RunStatus.PAUSED);

        // Stop ends the run with a checkpoint of its last step in the run folder.
        robot.clickOn("#train-stop");
        ExplorerFixture.waitUntil("the run to stop", SLOW_S, () -> pane.state() == RunStatus.STOPPED);
        long last = step();
        Path dir = pane.session().dir();
        assertTrue(dir.startsWith(runs), "the run went to the runs folder: " + dir);
        Path ckpt = dir.resolve(String.format("checkpoints/step-%08d.ckpt.npz", last));
        assertTrue(Files.isRegularFile(ckpt), "checkpoint of the last step " + ckpt);
        assertFalse(disabled(robot, "#train-start"));
        assertFalse(disabled(robot, "#train-open"));

        // Open run: the past loss curve from metrics.csv, grids of the opened weights, and it trains on.
        robot.interact(() -> pane.openRun(dir));
        ExplorerFixture.waitUntil("the run to open", SLOW_S, () -> !pane.busy() && pane.state() == RunStatus.READY);
        assertEquals(last, step());
        assertTrue(pane.chartView().lossPoints() >= last - 1, "metrics.csv on the chart: " + pane.chartView().lossPoints());
        ExplorerFixture.waitUntil("the opened run's grids", SLOW_S, () -> pane.gridStep() == last);
        robot.interact(() -> pane.setField("steps", Long.toString(last + 1)));
        robot.clickOn("#train-resume");
        ExplorerFixture.waitUntil("the run to complete", SLOW_S, () -> pane.state() == RunStatus.COMPLETED);
        assertEquals(last + 1, step());
        assertEquals(String.format("%,d / %,d", last + 1, last + 1), robot.lookup("#train-step-count").queryAs(Label.class).getText());
        assertEquals(1.0, robot.lookup("#train-progress").queryAs(ProgressBar.class).getProgress(), 1e-9);
    }

    /**
     * The pane opens on the lesson preset (28x28 digits, 10 minutes); with a budget of a few seconds
     * the run ends by itself, with a checkpoint of its last step. With -Dlesson.minutes=10 and
     * -Dscreenshots.dir this is the real lesson run whose end the README shows.
     */
    @Test
    void theLessonPresetEndsByItselfWhenItsMinutesAreUp(FxRobot robot) throws Exception {
        robot.clickOn("#nav-training");
        assertEquals("lesson", robot.lookup("#train-preset").queryAs(ComboBox.class).getValue());
        assertEquals("10", robot.lookup("#train-field-minutes").queryAs(javafx.scene.control.TextField.class).getText());
        String minutes = System.getProperty("lesson.minutes", "0.1");
        boolean real = !minutes.equals("0.1");
        robot.interact(() -> {
            pane.setField("minutes", minutes);
            if (!real) {
                pane.setField("sample_interval", "2");
                pane.setField("sample_steps", "2");
            }
        });
        robot.clickOn("#train-start");
        ExplorerFixture.waitUntil("the run to end by itself", SLOW_S + (int) (Double.parseDouble(minutes) * 60),
                () -> pane.state() == RunStatus.COMPLETED);
        long last = step();
        assertTrue(last >= 1, "trained at least one step");
        Path ckpt = pane.session().dir().resolve(String.format("checkpoints/step-%08d.ckpt.npz", last));
        assertTrue(Files.isRegularFile(ckpt), "closing checkpoint " + ckpt);
        String eta = robot.lookup("#train-eta").queryAs(Label.class).getText();
        assertTrue(eta.endsWith(real ? " of " + RunStatsText.minutes(minutes) : " of 6 s"), "time left against the budget: " + eta);
        ExplorerFixture.waitUntil("the closing grids", SLOW_S, () -> pane.gridStep() == last);
        shootIfAsked(robot, "6-training-lesson");
    }

    @Test
    void theDataIsCheckedOnlyOnceThePaneIsShown(FxRobot robot) {
        Label info = (Label) pane.node().lookup("#train-data-info");
        assertEquals("", info.getText(), "the data was checked at start-up, before the pane was shown");
        robot.clickOn("#nav-training");
        ExplorerFixture.waitUntil("the data check", SLOW_S, () -> info.getText().contains("images at"), info::getText);
    }

    @Test
    void anImpossibleNumberOfMinutesIsRefusedWithTheFieldNamed(FxRobot robot) {
        robot.clickOn("#nav-training");
        for (String bad : new String[] {"-5", "ten", "20000"}) {
            robot.interact(() -> pane.setField("minutes", bad));
            robot.clickOn("#train-start");
            assertTrue(messages(robot).message().contains("minutes"), bad + ": " + messages(robot).message());
            assertTrue(pane.session() == null && !pane.busy());
        }
    }

    /** How RunStats writes a whole number of minutes. */
    private static final class RunStatsText {
        static String minutes(String m) {
            return ((long) Double.parseDouble(m)) + " min 00 s";
        }
    }

    @Test
    void badFoldersAndCheckpointsShowAMessageAndStartNothing(FxRobot robot) throws Exception {
        robot.clickOn("#nav-training");
        Path empty = Files.createTempDirectory(runs, "empty");
        robot.interact(() -> pane.useFolder(empty.toString()));
        ExplorerFixture.waitUntil("the message", 120, () -> messages(robot).message().contains("no .jpg"),
                () -> "message '" + messages(robot).message() + "', data info '" + robot.lookup("#train-data-info").queryAs(Label.class).getText() + "'");
        assertTrue(messages(robot).message().startsWith("Dataset problem"), messages(robot).message());

        robot.interact(() -> pane.useFolder("/no/such/folder/of/images"));
        ExplorerFixture.waitUntil("the message", SLOW_S, () -> messages(robot).message().contains("no such folder"));
        robot.clickOn("#message-dismiss");
        robot.clickOn("#train-start");
        ExplorerFixture.waitUntil("the message after Start", SLOW_S,
                () -> messages(robot).message().contains("no such folder") && !pane.busy());
        assertFalse(disabled(robot, "#train-start"), "Start is usable again");

        // Open run on a folder that is no run, and on a run whose only checkpoint is damaged.
        robot.interact(() -> pane.openRun(empty));
        ExplorerFixture.waitUntil("the message", SLOW_S, () -> messages(robot).message().contains("is not a run folder"));
        Path broken = runs.resolve("broken");
        Files.createDirectories(broken.resolve("checkpoints"));
        Files.writeString(broken.resolve("config.json"), RunConfig.tiny().toJson());
        Files.writeString(broken.resolve("checkpoints/step-00000005.ckpt.npz"), "not a checkpoint");
        robot.interact(() -> pane.openRun(broken));
        ExplorerFixture.waitUntil("the message", SLOW_S, () -> messages(robot).message().contains("no readable checkpoint"));
        assertTrue(messages(robot).message().startsWith("Run folder problem"), messages(robot).message());
        assertTrue(pane.session() == null && !pane.busy());
        assertFalse(disabled(robot, "#train-open"), "Open run is usable again");
        try (Stream<Path> s = Files.list(runs)) {
            assertEquals(2, s.count(), "no run folder was made beside the test's own two");
        }
    }

    @Test
    void anInvalidValueIsRefusedWithTheFieldNamed(FxRobot robot) throws Exception {
        robot.clickOn("#nav-training");
        robot.interact(() -> pane.setField("lr", "-0.01"));
        robot.clickOn("#train-start");
        assertTrue(messages(robot).message().contains("training.lr"), messages(robot).message());

        robot.interact(() -> pane.setField("lr", "0.001"));
        robot.doubleClickOn("#train-field-batch_size").write("four");
        robot.clickOn("#train-start");
        assertTrue(messages(robot).message().contains("batch_size"), messages(robot).message());
        assertTrue(pane.session() == null && !pane.busy());
        try (Stream<Path> s = Files.list(runs)) {
            assertEquals(0, s.count(), "no run folder was made");
        }
    }

    @Test
    void everyRunSettingIsNamedInFull(FxRobot robot) {
        robot.clickOn("#nav-training");
        robot.interact(() -> app.context().settings().classroomProperty().set(false)); // another test class may have left it on
        java.util.List<String> names = java.util.List.of("minutes", "steps", "lr", "batch_size", "ema_rate", "sample_interval", "sample_steps");
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (javafx.scene.Node n : robot.lookup("#train-settings .label").queryAll()) {
            Label l = (Label) n;
            if (!names.contains(l.getText())) continue;
            seen.add(l.getText());
            String drawn = ExplorerFixture.drawnText(l); // ends in "..." when the name column is too narrow
            assertEquals(l.getText(), drawn, l.getText() + " drawn as " + drawn);
        }
        assertEquals(new java.util.HashSet<>(names), seen, "every field's name label");
    }
}
