package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.training.TrainingPane;
import org.diffusionexplorer.app.training.TrainingRuns;
import org.diffusionexplorer.train.RunLock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * Issue 18, part 4: "Open run..." on a run a separate process (the CLI in a child JVM) is training
 * follows it live: the chart gains the rows it writes, newer grids appear, and it stops following
 * when the process ends; the folder is left exactly as the writer left it.
 */
@ExtendWith(ApplicationExtension.class)
class FollowRunTest {
    private static final int SLOW_S = 600;
    private TrainingPane pane;
    private Path tmp;
    private Process child;

    @BeforeAll
    static void patientSetup() {
        FxToolkit.toolkitContext().setSetupTimeoutInMillis(180_000);
    }

    @Start
    void start(Stage stage) throws IOException {
        tmp = Files.createTempDirectory("follow-run-test");
        System.setProperty(TrainingRuns.RUNS_PROPERTY, tmp.resolve("runs").toString());
        ExplorerApp app = ExplorerFixture.start(stage);
        pane = (TrainingPane) app.views().get(3);
    }

    @AfterEach
    void cleanUp(FxRobot robot) throws Exception {
        robot.interact(pane::stopFollowing);
        if (child != null && child.isAlive()) {
            child.destroyForcibly();
            child.waitFor(60, TimeUnit.SECONDS);
        }
        System.clearProperty(TrainingRuns.RUNS_PROPERTY);
        try (Stream<Path> s = Files.walk(tmp)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aRunTrainedByAnotherProcessIsFollowedLiveAndLeftAsItWas(FxRobot robot) throws Exception {
        Path data = TrainingChild.grayImages(tmp.resolve("data"));
        Path config = TrainingChild.tinyConfig(tmp.resolve("tiny.json"), data, 4, "uniform", 100, 3);
        Path run = tmp.resolve("run");
        Path log = tmp.resolve("child.log");
        long t0 = System.nanoTime();
        child = TrainingChild.start(log, "train", "--config", config.toString(), "--out", run.toString(), "--minutes", "1", "--quiet");
        // the writer holds the run's lock and has drawn its first grid: its steps are under way
        ExplorerFixture.waitUntil("the child to train", SLOW_S,
                () -> !child.isAlive() || RunLock.heldByWriter(run) && Files.exists(run.resolve("samples/step-00000003.png")));
        assertTrue(child.isAlive(), () -> "the child ended early: " + read(log));

        robot.clickOn("#nav-training");
        robot.interact(() -> pane.openRun(run));
        ExplorerFixture.waitUntil("following", 120, () -> pane.following() && !pane.busy());
        assertTrue(robot.lookup("#train-following").query().isVisible(), "the 'following' indicator shows");
        assertNull(pane.session(), "a run another process trains is not opened for training here");
        ExplorerFixture.waitUntil("the rows written so far", 120, () -> pane.chartView().lossPoints() >= 3);
        ExplorerFixture.waitUntil("the grids written so far", 120, () -> pane.gridStep() >= 3);
        int firstPoints = pane.chartView().lossPoints();
        long firstGrid = pane.gridStep();
        // every file the writer has finished by now (metrics.csv grows by appending: not finished)
        Map<String, String> finished = hashes(run);
        finished.remove("metrics.csv");

        ExplorerFixture.waitUntil("the chart to gain points", SLOW_S, () -> pane.chartView().lossPoints() > firstPoints);
        ExplorerFixture.waitUntil("a newer grid", SLOW_S, () -> pane.gridStep() > firstGrid);
        // following until the writer lets go of the run (on a loaded machine its minute may be over by now)
        assertTrue(pane.following() || !RunLock.heldByWriter(run), "still following while the child trains");

        assertTrue(child.waitFor(SLOW_S, TimeUnit.SECONDS), "the child's minute ended its run");
        assertEquals(0, child.exitValue(), () -> read(log));
        Map<String, String> atEnd = hashes(run);
        ExplorerFixture.waitUntil("following to stop with the run", 60, () -> !pane.following());
        assertTrue(!robot.lookup("#train-following").query().isVisible(), "the indicator is gone");

        // The follower changed nothing: its last polls after the writer ended left every byte as it was,
        assertEquals(atEnd, hashes(run), "the folder after the app's last look");
        // the files the writer had finished mid-run are as they were (old checkpoints the writer rotated away aside),
        for (Map.Entry<String, String> e : finished.entrySet()) {
            if (e.getKey().startsWith("checkpoints/") && !atEnd.containsKey(e.getKey())) continue;
            assertEquals(e.getValue(), atEnd.get(e.getKey()), e.getKey());
        }
        // and the lock file still names the writer: the app never took the lock (taking it writes its own pid).
        assertEquals(child.pid() + "\n", Files.readString(run.resolve(RunLock.FILE)));

        // The last poll read the rest: the chart's last step is metrics.csv's last row, the grid the newest one.
        String[] rows = Files.readString(run.resolve("metrics.csv")).strip().split("\n");
        long lastRow = Long.parseLong(rows[rows.length - 1].split(",")[0].trim());
        ExplorerFixture.waitUntil("the last row on screen", 30, () -> robot.lookup("#train-step-count").queryAs(Label.class).getText()
                .equals(String.format("%,d (followed)", lastRow)));
        long newestGrid;
        try (Stream<Path> s = Files.list(run.resolve("samples"))) {
            newestGrid = s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.png"))
                    .mapToLong(n -> Long.parseLong(n.substring(5, n.length() - 4))).max().orElseThrow();
        }
        assertEquals(newestGrid, pane.gridStep());
        System.err.printf("[follow] child trained %d steps (%d grids) in %.0f s; the chart went from %d to %d points, the grid from step %d"
                + " to %d%n", lastRow, newestGrid / 3, (System.nanoTime() - t0) / 1e9, firstPoints, pane.chartView().lossPoints(),
                firstGrid, pane.gridStep());
    }

    /**
     * Every file under {@code dir} (relative name, forward slashes) with its SHA-256; the writer's
     * temporary files (.tmp-PID-..., renamed or gone a moment later) are left out, and a temporary file
     * of this process, the app's, fails the test: the follower must write nothing.
     */
    private static Map<String, String> hashes(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String ours = ".tmp-" + ProcessHandle.current().pid() + "-";
        // walkFileTree rather than Files.walk: the writer renames its temporary files while we list the
        // folder, and Files.walk throws when an entry it listed is gone before it reads its attributes
        Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult visitFile(Path p, java.nio.file.attribute.BasicFileAttributes attrs) throws IOException {
                String name = p.getFileName().toString();
                assertTrue(!name.startsWith(ours), "the app wrote " + p);
                if (name.startsWith(".tmp-") || !attrs.isRegularFile()) return java.nio.file.FileVisitResult.CONTINUE;
                try {
                    out.put(dir.relativize(p).toString().replace('\\', '/'), HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))));
                } catch (java.nio.file.NoSuchFileException e) {
                    // an old checkpoint the writer rotated away meanwhile
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path p, IOException e) throws IOException {
                String name = p.getFileName().toString();
                assertTrue(!name.startsWith(ours), "the app wrote " + p);
                if (e instanceof java.nio.file.NoSuchFileException) return java.nio.file.FileVisitResult.CONTINUE; // gone meanwhile
                throw e;
            }
        });
        return out;
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
