package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.assertOneLineError;
import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.diffusionexplorer.config.RunConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** train --minutes: a session that ends by itself with a checkpoint and a grid, and its bad values. */
class TrainMinutesCliTest {
    @TempDir
    static Path dir;

    @Test
    void aTimeBudgetEndsTheRunByItselfWithACheckpointAndAGrid() throws Exception {
        Path run = dir.resolve("budget");
        long t0 = System.nanoTime();
        RunCommandsTest.Result r = cli("train", "--preset", "tiny", "--data", "mnist", "--sample-interval", "1000",
                "--minutes", "0.2", "--out", run.toString(), "--quiet");
        double secs = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("time budget of 0.2 minutes used"), r.out());
        // 12 s of budget (the first step also records the execution plans); model building and the closing
        // grid come on top (generous for a loaded CI machine)
        assertTrue(secs < 60, "took " + secs + " s");
        List<Path> ckpts;
        try (Stream<Path> s = Files.list(run.resolve("checkpoints"))) {
            ckpts = s.toList();
        }
        assertFalse(ckpts.isEmpty(), "a closing checkpoint");
        try (Stream<Path> s = Files.list(run.resolve("samples"))) {
            assertTrue(s.anyMatch(p -> p.toString().endsWith(".png")), "a closing sample grid");
        }
        List<String> rows = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(rows.size() > 2, "trained some steps: " + rows.size());
        // the lr annealed towards 0 over the time: the last logged lr is below the first
        double first = lr(rows.get(1)), last = lr(rows.get(rows.size() - 1));
        assertTrue(last < first, "lr " + first + " -> " + last);
    }

    private static double lr(String row) {
        return Double.parseDouble(row.split(",")[9]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-3", "20000", "NaN"})
    void badMinutesGetOneLine(String minutes) {
        Path run = dir.resolve("bad-" + minutes.replace("-", "m"));
        RunCommandsTest.Result r = cli("train", "--preset", "tiny", "--data", "mnist", "--minutes", minutes, "--out", run.toString());
        assertOneLineError(r, "minutes");
        assertFalse(Files.exists(run), "no run folder made");
    }

    @Test
    void nonNumericMinutesGetOneLine() {
        RunCommandsTest.Result r = cli("train", "--preset", "tiny", "--data", "mnist", "--minutes", "ten", "--out",
                dir.resolve("ten").toString());
        assertOneLineError(r, "--minutes");
    }

    @Test
    void neitherStepsNorMinutesIsRefused() {
        RunCommandsTest.Result r = cli("train", "--preset", "tiny", "--data", "mnist", "--out", dir.resolve("none").toString());
        assertOneLineError(r, "--steps", "--minutes");
    }

    @Test
    void theLessonPresetIsTheDigitsArchitecture() {
        RunConfig c = RunConfig.preset("lesson");
        assertEquals(28, c.model().imageSize());
        assertTrue(c.training().classCond());
        assertTrue(c.diffusion().predictXstart());
        assertEquals(List.of(0.995), c.training().emaRate());
        assertFalse(c.training().emaWarmup());
    }
}
