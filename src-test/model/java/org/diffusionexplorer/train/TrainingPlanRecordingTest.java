package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A training step's execution-plan recording is kept like an evaluation pass's (exec.PlanStore), and a
 * run's first step made from it trains exactly as one recorded through SameDiff (and checked there).
 */
class TrainingPlanRecordingTest {
    private static final String WRITE = "diffusion.plans.write";
    private static final String SHARDS = "diffusion.shards";

    @TempDir
    Path tmp;

    @BeforeAll
    static void runtime() {
        NativeRuntime.configure();
    }

    @AfterEach
    void clear() {
        System.clearProperty(WRITE);
        System.clearProperty(SHARDS);
    }

    @Test
    void aKeptTrainingRecordingIsUsedAndTrainsTheSameStep() throws Exception {
        Path plans = Files.createDirectories(tmp.resolve("plans"));
        System.setProperty(WRITE, plans.toString());
        RunConfig cfg = TinyRuns.config(TinyRuns.imageFolder(tmp.resolve("img"), 4), 1000);
        Map<String, float[]> first = oneStep(tmp.resolve("a"), cfg);
        List<Path> kept = files(plans);
        assertEquals(1, kept.size(), "the first run keeps its step's recording: " + kept);
        FileTime written = Files.getLastModifiedTime(kept.get(0));

        Map<String, float[]> second = oneStep(tmp.resolve("b"), cfg);
        assertEquals(kept, files(plans));
        assertEquals(written, Files.getLastModifiedTime(kept.get(0)), "the second run used the recording instead of making it again");
        assertEquals(first.keySet(), second.keySet());
        for (String k : first.keySet()) assertArrayEquals(first.get(k), second.get(k), k);
    }

    /** assets/plans holds the lesson preset's training step for one and for two batch shards. */
    @Test
    void theShippedLessonRecordingsFitTheLessonRunsGraph() throws Exception {
        Path plans = Files.createDirectories(tmp.resolve("plans"));
        System.setProperty(WRITE, plans.toString());
        for (String shards : List.of("1", "2")) {
            System.setProperty(SHARDS, shards);
            oneStep(tmp.resolve("lesson-" + shards), RunConfig.preset("lesson"));
            assertTrue(files(plans).isEmpty(), "a lesson step on " + shards + " shard(s) had no shipped recording, "
                    + "so it made one: run model/scripts/make-plan-recordings.sh");
        }
    }

    private static Map<String, float[]> oneStep(Path dir, RunConfig cfg) throws IOException {
        try (TrainingRun run = RunOpening.create(dir, cfg)) {
            TrainingRun.Outcome o = run.train(1, null);
            assertEquals(RunStatus.COMPLETED, o.status(), o.message());
            return TrainingRunTest.state(run);
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }
}
