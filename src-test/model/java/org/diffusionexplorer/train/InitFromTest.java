package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run started from another run's checkpoint (train --init-from): a longer schedule continues the same state. */
class InitFromTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void runtime() {
        NativeRuntime.configure();
    }

    @Test
    void continuesTheSourceStateWithItsOwnAnnealAndKeepsTheHistory() throws Exception {
        Path data = TinyRuns.imageFolder(tmp.resolve("img"), 6);
        RunConfig cfg = TinyRuns.config(data, 3);
        Map<String, float[]> source;
        try (TrainingRun a = RunOpening.create(tmp.resolve("a"), cfg)) {
            assertEquals(RunStatus.COMPLETED, a.train(3, null).status());
            source = TrainingRunTest.state(a);
        }
        RunConfig longer = cfg.withTraining(cfg.training().withLrAnnealSteps(10));
        try (TrainingRun b = RunOpening.createFrom(tmp.resolve("b"), longer, tmp.resolve("a"), w -> { })) {
            assertEquals(3, b.step());
            Map<String, float[]> started = TrainingRunTest.state(b);
            assertEquals(source.keySet(), started.keySet());
            source.forEach((k, v) -> assertArrayEquals(v, started.get(k), k));
            assertEquals(3, b.optimizer().step(), "AdamW's step (bias correction, anneal) carries over");
            assertTrue(Files.exists(tmp.resolve("b/checkpoints")) && new RunFolder(tmp.resolve("b")).checkpoints(3).list().size() == 1,
                    "the starting point is saved at once");
            var origin = new ObjectMapper().readTree(tmp.resolve("b").resolve(RunFolder.INIT_FROM).toFile());
            assertEquals(3, origin.get("step").asLong());
            assertEquals(3, Files.readAllLines(new RunFolder(tmp.resolve("b")).metrics()).size() - 1, "the source's rows come along");

            assertEquals(RunStatus.COMPLETED, b.train(4, null).status());
            // update 4 used lr * (1 - 3/10), as the reference's (step + resume_step) / lr_anneal_steps
            assertEquals(1e-3 * 0.7, b.optimizer().lr(), 1e-12);
            assertFalse(java.util.Arrays.equals(source.values().iterator().next(), TrainingRunTest.state(b).values().iterator().next()));
        }
        // a killed continuation resumes like any run
        try (TrainingRun c = RunOpening.resume(tmp.resolve("b"), null, w -> { })) {
            assertEquals(4, c.step());
        }
    }

    @Test
    void anotherModelIsRefusedNamingTheField() throws Exception {
        RunConfig cfg = sourceRun(2);
        var m = cfg.model();
        RunConfig wider = new RunConfig(new org.diffusionexplorer.unet.UNetConfig(m.imageSize(), m.inChannels(), m.modelChannels() * 2,
                m.outChannels(), m.numResBlocks(), m.attentionResolutions(), m.dropout(), m.channelMult(), m.convResample(),
                m.numClasses(), m.numHeads(), m.numHeadsUpsample(), m.useScaleShiftNorm()), cfg.diffusion(), cfg.training(), cfg.data());
        RunException e = assertThrows(RunException.class, () -> RunOpening.createFrom(tmp.resolve("b"), wider, tmp.resolve("a"), w -> { }));
        assertTrue(e.getMessage().contains("model.model_channels"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("b/config.json")), "nothing is created for a refused start");
    }

    /** An unconditional model starts a class-conditional one: zero class embeddings, every other weight carried over. */
    @Test
    void anUnconditionalSourceStartsAClassConditionalRun() throws Exception {
        RunConfig cfg = sourceRun(2);
        Map<String, float[]> source;
        try (TrainingRun a = RunOpening.resume(tmp.resolve("a"), null, w -> { })) {
            source = TrainingRunTest.state(a);
        }
        RunConfig conditional = cfg.classConditional(0);
        assertTrue(conditional.training().classCond());
        java.util.List<String> warnings = new java.util.ArrayList<>();
        try (TrainingRun b = RunOpening.createFrom(tmp.resolve("b"), conditional, tmp.resolve("a"), warnings::add)) {
            assertEquals(2, b.config().model().numClasses(), "a_ and b_ files: two classes");
            assertTrue(warnings.stream().anyMatch(w -> w.contains("class embeddings start at zero")), warnings.toString());
            Map<String, float[]> started = TrainingRunTest.state(b);
            for (String k : started.keySet()) {
                if (k.endsWith(ConditionalStart.LABEL_EMB)) {
                    assertEquals(2 * b.config().model().timeEmbedDim(), started.get(k).length, k);
                    for (float x : started.get(k)) assertEquals(0f, x, k);
                } else {
                    assertArrayEquals(source.get(k), started.get(k), k);
                }
            }
            assertEquals(source.size() + 4, started.size(), "model, EMA, and both AdamW moments gain the table");
            assertEquals(2, b.optimizer().step(), "AdamW's state of the old weights carries over");

            assertEquals(RunStatus.COMPLETED, b.train(4, null).status());
            float[] table = TrainingRunTest.state(b).get("model/" + ConditionalStart.LABEL_EMB);
            double norm = 0;
            for (float x : table) norm += x * x;
            assertTrue(norm > 0, "the class embeddings learn");
        }
        try (TrainingRun c = RunOpening.resume(tmp.resolve("b"), conditional, w -> { })) {
            assertEquals(4, c.step());
            assertTrue(c.model().config().classConditional());
        }
    }

    @Test
    void aSourceThatFailsToLoadLeavesNoHalfMadeRunBehind() throws Exception {
        RunConfig cfg = sourceRun(1);
        // the same model's checkpoint with one weight missing: it passes the config check, then fails to load
        var store = new RunFolder(tmp.resolve("a")).checkpoints(3);
        org.diffusionexplorer.checkpoint.Checkpoint c = store.latest(w -> { }).orElseThrow();
        var weights = new java.util.LinkedHashMap<>(c.model());
        weights.remove(weights.keySet().iterator().next());
        Path broken = tmp.resolve("broken.ckpt.npz");
        new org.diffusionexplorer.checkpoint.Checkpoint(c.meta(), weights, c.ema(), c.optimizer()).write(broken);

        assertThrows(RuntimeException.class, () -> RunOpening.createFrom(tmp.resolve("b"), cfg, broken, w -> { }));
        assertFalse(Files.exists(tmp.resolve("b")), "the folder this start made is gone");
        Files.createDirectories(tmp.resolve("empty"));
        assertThrows(RuntimeException.class, () -> RunOpening.createFrom(tmp.resolve("empty"), cfg, broken, w -> { }));
        assertTrue(Files.isDirectory(tmp.resolve("empty")), "a folder that was there stays");
        assertTrue(new RunFolder(tmp.resolve("empty")).isEmpty(), "and is empty again, so a retry is accepted");

        try (TrainingRun retry = RunOpening.createFrom(tmp.resolve("empty"), cfg, tmp.resolve("a"), w -> { })) {
            assertEquals(1, retry.step());
        }
    }

    /** A tiny run trained {@code steps} steps in tmp/a, the source of an --init-from. */
    private RunConfig sourceRun(int steps) throws Exception {
        RunConfig cfg = TinyRuns.config(TinyRuns.imageFolder(tmp.resolve("img"), 4), 2);
        try (TrainingRun a = RunOpening.create(tmp.resolve("a"), cfg)) {
            a.train(steps, null);
        }
        return cfg;
    }
}
