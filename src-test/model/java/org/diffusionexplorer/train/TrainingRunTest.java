package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.diffusion.ReverseSampler;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.sample.Sampling;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainingRunTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void runtime() {
        NativeRuntime.configure();
    }

    @Test
    void aFewStepsLowerTheLossOnAFixedBatch() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 4);
        try (TrainingRun run = RunOpening.create(tmp.resolve("run"), TinyRuns.config(data, 1000))) {
            INDArray x0 = Nd4j.create(run.dataset().image(0), new long[] {1, 1, 8, 8}).repeat(0, 4);
            int[] t = {5, 30, 60, 90};
            INDArray noise = ReverseSampler.gaussian(new SplittableRandom(7), x0.shape(), DataType.FLOAT);
            double before = run.evaluateLoss(x0, t, noise);
            TrainingRun.Outcome o = run.train(30, null);
            assertEquals(RunStatus.COMPLETED, o.status(), o.message());
            double after = run.evaluateLoss(x0, t, noise);
            assertTrue(after < 0.7 * before, "loss " + before + " -> " + after);
        }
    }

    /** Every number a resumed run must reproduce: weights, EMAs and AdamW moments. */
    static Map<String, float[]> state(TrainingRun run) {
        Map<String, float[]> s = new LinkedHashMap<>();
        run.model().stateDict().forEach((k, v) -> s.put("model/" + k, v.dup().data().asFloat()));
        for (Ema e : run.emas()) e.weights().forEach((k, v) -> s.put("ema/" + k, v.dup().data().asFloat()));
        run.optimizer().exp_avg().forEach((k, v) -> s.put("m/" + k, v.dup().data().asFloat()));
        run.optimizer().exp_avg_sq().forEach((k, v) -> s.put("v/" + k, v.dup().data().asFloat()));
        return s;
    }

    @Test
    void killAndResumeGivesTheWeightsOfAnUninterruptedRun() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 6);
        RunConfig base = TinyRuns.config(data, 2);
        // exercise the stateful parts: two EMAs with warm-up, weight decay, the loss-aware
        // sampler's history, and dropout masks drawn per micro-batch (2 of 2 rows) from (seed, step)
        TrainingSettings t = base.training();
        RunConfig cfg = base.withTraining(new TrainingSettings(t.lr(), 0.01, 0, 4, 2, List.of(0.99, 0.9), true, "loss-second-moment",
                1, 2, 0, 4, 5, 3, 11, false));
        cfg = new RunConfig(cfg.model().withDropout(0.3), cfg.diffusion(), cfg.training(), cfg.data());

        Map<String, float[]> uninterrupted;
        try (TrainingRun a = RunOpening.create(tmp.resolve("a"), cfg)) {
            assertEquals(RunStatus.COMPLETED, a.train(5, null).status());
            uninterrupted = state(a);
        }

        TrainingRun b = RunOpening.create(tmp.resolve("b"), cfg);
        // "kill" after step 3: the listener throws, nothing is saved past the checkpoint of step 2
        b.addListener(new TrainingListener() {
            @Override
            public void onStep(StepMetrics m) {
                if (m.step() == 3) throw new IllegalStateException("killed");
            }
        });
        assertThrows(IllegalStateException.class, () -> b.train(5, null));
        b.close(); // abandon the object

        try (TrainingRun c = RunOpening.resume(tmp.resolve("b"), null, w -> {})) {
            assertEquals(2, c.step());
            assertEquals(RunStatus.COMPLETED, c.train(5, null).status());
            Map<String, float[]> resumed = state(c);
            assertEquals(uninterrupted.keySet(), resumed.keySet());
            for (String k : uninterrupted.keySet()) assertArrayEquals(uninterrupted.get(k), resumed.get(k), 0f, k);
        }
        // the metrics row of the lost step 3 was dropped, then written again once
        List<String> lines = Files.readAllLines(tmp.resolve("b/metrics.csv"));
        assertEquals(String.join(",", MetricsLog.COLUMNS), lines.get(0));
        List<String> steps = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) steps.add(l.substring(0, l.indexOf(',')));
        assertEquals(List.of("1", "2", "3", "4", "5"), steps);
    }

    @Test
    void aNonFiniteLossStopsTheRunNamingTheStepAndKeepsTheCheckpoint() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 4);
        List<String> errors = new ArrayList<>();
        try (TrainingRun run = RunOpening.create(tmp.resolve("run"), TinyRuns.config(data, 2))) {
            run.addListener(new TrainingListener() {
                @Override
                public void onError(String message, Throwable cause) {
                    errors.add(message);
                }
            });
            run.setBatchHook(x -> run.step() == 2 ? x.dup().assign(Double.NaN) : x);
            TrainingRun.Outcome o = run.train(6, null);
            assertEquals(RunStatus.FAILED, o.status());
            assertTrue(o.message().contains("step 3"), o.message());
            assertTrue(o.message().contains("NaN"), o.message());
            assertEquals(List.of(o.message()), errors);
        }
        Checkpoint last = new RunFolder(tmp.resolve("run")).checkpoints(3).latest(w -> {}).orElseThrow();
        assertEquals(2, last.step());
        for (var e : last.model().entrySet()) {
            for (float f : e.getValue().toFloats()) assertTrue(Float.isFinite(f), e.getKey());
        }
    }

    @Test
    void aCheckpointOfAnotherConfigurationIsRefused() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 4);
        Path dir = tmp.resolve("run");
        try (TrainingRun run = RunOpening.create(dir, TinyRuns.config(data, 2))) {
            run.train(2, null);
        }
        ObjectNode cfg = (ObjectNode) new ObjectMapper().readTree(Files.readString(dir.resolve("config.json")));
        ((ObjectNode) cfg.get("training")).put("lr", 0.5);
        Files.writeString(dir.resolve("config.json"), cfg.toString(), StandardCharsets.UTF_8);
        RunException e = assertThrows(RunException.class, () -> RunOpening.resume(dir, null, w -> {}));
        assertTrue(e.getMessage().contains("different run") && e.getMessage().contains("training.lr"), e.getMessage());
        // and a new run is never started over an existing one
        RunException again = assertThrows(RunException.class, () -> RunOpening.create(dir, TinyRuns.config(data, 2)));
        assertTrue(again.getMessage().contains("--resume"), again.getMessage());
    }

    @Test
    void sampleGridsComeFromTheEmaEverySampleIntervalAndLeaveTheWeightsAlone() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 4);
        RunConfig base = TinyRuns.config(data, 100);
        TrainingSettings t = base.training();
        RunConfig cfg = base.withTraining(new TrainingSettings(t.lr(), 0, 0, 4, -1, List.of(0.9), false, "uniform", 1, 100, 2, 3, 4, 3, 0, false));
        List<SampleBatch> got = new ArrayList<>();
        try (TrainingRun run = RunOpening.create(tmp.resolve("run"), cfg)) {
            run.addListener(new TrainingListener() {
                @Override
                public void onSamples(SampleBatch s) {
                    got.add(s);
                }
            });
            run.train(2, null);
            float[] before = run.model().stateDict().get("out.2.weight").dup().data().asFloat();
            SampleBatch again = run.writeSamples();
            assertArrayEquals(before, run.model().stateDict().get("out.2.weight").dup().data().asFloat(), 0f, "weights restored after sampling");
            assertEquals(2, got.size());
            assertEquals(2, got.get(0).step());
            assertEquals("ema 0.9", got.get(0).weights());
            assertArrayEquals(new long[] {3, 1, 8, 8}, got.get(0).images().shape());
            assertEquals(3 * 64, got.get(0).floats().length);
            assertArrayEquals(got.get(0).floats(), again.floats(), 0f, "the grid's seed is fixed");
        }
        assertTrue(Files.size(tmp.resolve("run/samples/step-00000002.png")) > 0);
    }

    /** Issue 16: the raw weights' grid is drawn by the run itself, from the EMA grid's noise, in the same call. */
    @Test
    void oneCallDrawsTheEmaAndTheRawGridFromTheSameNoise() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 4);
        RunConfig base = TinyRuns.config(data, 100);
        TrainingSettings t = base.training();
        RunConfig cfg = base.withTraining(new TrainingSettings(t.lr(), 0, 0, 4, -1, List.of(0.9), false, "uniform", 1, 100, 0, 3, 4, 3, 0, false));
        try (TrainingRun run = RunOpening.create(tmp.resolve("run"), cfg)) {
            run.train(2, null);
            SampleBatch emaOnly = run.writeSamples();
            assertEquals(null, emaOnly.raw(), "the CLI's grids: the EMA's only");
            run.sampleRawWeightsToo(true);
            SampleBatch both = run.writeSamples();
            assertArrayEquals(emaOnly.floats(), both.floats(), 0f, "the EMA grid is unchanged by drawing the raw one");
            assertArrayEquals(both.images().shape(), both.raw().shape());
            // the raw grid is exactly what sampling the live (raw) weights from the run's sample seed gives
            String steps = Integer.toString(Math.min(4, cfg.diffusion().diffusionSteps()));
            Sampling.Options o = new Sampling.Options(Sampling.Kind.DDIM, steps, 0.0, 3, RunSeeds.derive(cfg.training().seed(), RunSeeds.SAMPLES), true);
            float[] expected = Sampling.run(run.model(), cfg.diffusion(), o, null).samples().castTo(DataType.FLOAT).dup('c').data().asFloat();
            assertArrayEquals(expected, both.rawFloats(), 0f);
            float maxDiff = 0;
            for (int i = 0; i < expected.length; i++) maxDiff = Math.max(maxDiff, Math.abs(expected[i] - both.floats()[i]));
            assertTrue(maxDiff > 0, "EMA (rate 0.9 after 2 steps) and raw weights draw different grids");
        }
    }

    @Test
    void pauseSingleStepAndStopActBetweenSteps() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 4);
        try (TrainingRun run = RunOpening.create(tmp.resolve("run"), TinyRuns.config(data, 100))) {
            List<RunStatus> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            run.addListener(new TrainingListener() {
                @Override
                public void onStatus(RunStatus s, String message) {
                    seen.add(s);
                }
            });
            run.pause();
            Thread th = new Thread(() -> run.train(1000, null));
            th.start();
            waitFor(() -> run.status() == RunStatus.PAUSED);
            assertEquals(0, run.step());
            run.singleStep();
            waitFor(() -> run.step() == 1 && run.status() == RunStatus.PAUSED);
            Thread.sleep(200);
            assertEquals(1, run.step());
            run.resume();
            waitFor(() -> run.step() >= 3);
            run.requestStop();
            th.join(60_000);
            assertEquals(RunStatus.STOPPED, run.status());
            long stoppedAt = run.step();
            assertTrue(stoppedAt >= 3 && stoppedAt < 1000);
            assertEquals(stoppedAt, new RunFolder(tmp.resolve("run")).checkpoints(3).latest(w -> {}).orElseThrow().step());
            assertTrue(seen.contains(RunStatus.PAUSED) && seen.contains(RunStatus.RUNNING));
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier c) throws InterruptedException {
        long end = System.currentTimeMillis() + 60_000;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) throw new AssertionError("timed out");
            Thread.sleep(10);
        }
    }
}
