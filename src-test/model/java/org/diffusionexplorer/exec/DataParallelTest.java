package org.diffusionexplorer.exec;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.diffusionexplorer.config.DiffusionSettings;
import org.diffusionexplorer.diffusion.DiffusionLossGraph;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.train.AdamW;
import org.diffusionexplorer.train.Trainer;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Batch shards on worker threads give what one pass over the whole batch gives. */
class DataParallelTest {
    // class-conditional, attention and scale-shift norm: every kind of op the UNet has
    private static final UNetConfig CFG = new UNetConfig(8, 1, 32, 1, 1, List.of(2), 0, List.of(1, 2), true, 10, 2, -1, true);

    @AfterEach
    void clear() {
        System.clearProperty("diffusion.shards");
        System.clearProperty("diffusion.executionPlan");
    }

    private static void randomise(UNetModel m) {
        Nd4j.getRandom().setSeed(11);
        for (INDArray w : m.stateDict().values()) if (w.amaxNumber().doubleValue() == 0) w.assign(Nd4j.randn(w.dataType(), w.shape()).muli(0.05));
    }

    @Test
    void shardedForwardEqualsOnePassForEvenAndUnevenShards() {
        try (UNetModel m = UNetModel.create(CFG, 3)) {
            randomise(m);
            Nd4j.getRandom().setSeed(5);
            INDArray x = Nd4j.randn(DataType.FLOAT, 7, 1, 8, 8), t = Nd4j.rand(DataType.FLOAT, 7).muli(999);
            INDArray y = Nd4j.createFromArray(new long[] {0, 1, 2, 3, 4, 5, 6});
            System.setProperty("diffusion.executionPlan", "false");
            INDArray expected = m.forward(x, t, y);
            System.clearProperty("diffusion.executionPlan");
            for (String shards : List.of("2", "3", "7")) { // 4+3, 2+2+3, one row each
                System.setProperty("diffusion.shards", shards);
                INDArray got = m.forward(x, t, y);
                assertArrayEquals(expected.shape(), got.shape());
                assertEquals(0, expected.sub(got).amaxNumber().doubleValue(), 1e-5, shards + " shards");
                got = m.forward(x.mul(0.5), t, y); // a second call reuses the workers' plans with new inputs
                assertEquals(0, m.graph().output(m.placeholders(x.mul(0.5), t, y), "out").get("out").sub(got).amaxNumber().doubleValue(),
                        1e-5, shards + " shards, second call");
            }
            System.setProperty("diffusion.shards", "9");
            assertEquals(0, expected.sub(m.forward(x, t, y)).amaxNumber().doubleValue(), 1e-5, "more shards than rows: one row each");
        }
    }

    /**
     * Sampling's shards: 9 rows in 2 shards run as 5 + 5 (the second padded with a copy of row 8),
     * so one recording serves both workers where 5 + 4 needs two; the padded row's output is dropped.
     */
    @Test
    void equalShardsPadTheLastShardAndRecordOnce() {
        try (UNetModel m = UNetModel.create(CFG, 3)) {
            randomise(m);
            Nd4j.getRandom().setSeed(6);
            INDArray x = Nd4j.randn(DataType.FLOAT, 9, 1, 8, 8), t = Nd4j.rand(DataType.FLOAT, 9).muli(999);
            INDArray y = Nd4j.createFromArray(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8});
            Map<String, INDArray> ph = m.placeholders(x, t, y);
            INDArray expected = m.graph().output(ph, "out").get("out");
            for (boolean equal : new boolean[] {true, false}) {
                try (DataParallel dp = equal ? DataParallel.withEqualShards(m.graph(), List.of("out"), 2, PlanStore.NONE)
                        : new DataParallel(m.graph(), List.of("out"), 2, PlanStore.NONE)) {
                    INDArray got = Nd4j.create(DataType.FLOAT, expected.shape());
                    long[] seen = new long[2];
                    assertTrue(dp.run(ph, (k, from, to, out) -> {
                        assertEquals(to - from, out.get("out").size(0), "shard " + k + " hands over its real rows only");
                        seen[k] = to - from;
                        got.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(from, to)).assign(out.get("out"));
                    }));
                    assertArrayEquals(equal ? new long[] {5, 4} : new long[] {4, 5}, seen, "rows per shard");
                    assertEquals(0, expected.sub(got).amaxNumber().doubleValue(), 1e-5, "equal shards " + equal);
                    assertEquals(equal ? 1 : 2, dp.plansMade(), "SameDiff recordings, equal shards " + equal);
                }
            }
        }
    }

    @Test
    void shardedTrainingStepsAgreeWithSameDiffStepAfterStep() {
        GaussianDiffusion d = DiffusionSettings.defaults().withSteps(100, "cosine").build();
        try (UNetModel a = UNetModel.create(CFG, 3); UNetModel b = UNetModel.create(CFG, 3)) {
            UNetModel[] models = {a, b};
            Trainer[] trainers = new Trainer[2];
            DiffusionLossGraph[] graphs = new DiffusionLossGraph[2];
            for (int i = 0; i < 2; i++) {
                graphs[i] = DiffusionLossGraph.attach(d, models[i].graph(), models[i].output(), "x", "t");
                trainers[i] = new Trainer(models[i].graph(), graphs[i].weightedLoss().name(), new AdamW(models[i].stateDict(), 1e-3),
                        List.of(), Trainer.Accumulation.SUM);
                trainers[i].setRowOutputs(List.of(DiffusionLossGraph.PREFIX + "loss"));
            }
            for (int step = 0; step < 3; step++) {
                System.setProperty("diffusion.executionPlan", "false");
                Trainer.Gradients gb = trainers[1].gradients(List.of(feed(graphs[1], d, step)), null);
                Map<String, INDArray> expected = new java.util.HashMap<>();
                gb.grads().forEach((k, v) -> expected.put(k, v.dup()));
                double[] rowsB = trainers[1].lastRowOutputs().get(DiffusionLossGraph.PREFIX + "loss").clone();
                Trainer.StepResult rb = trainers[1].step(feed(graphs[1], d, step), 0);
                System.clearProperty("diffusion.executionPlan");
                System.setProperty("diffusion.shards", "2");
                Trainer.Gradients ga = trainers[0].gradients(List.of(feed(graphs[0], d, step)), null);
                assertEquals("execution plans on 2 batch shards", trainers[0].executor());
                assertEquals(gb.loss(), ga.loss(), 1e-6 * (1 + Math.abs(gb.loss())), "loss at step " + step);
                for (String p : a.parameterNames()) {
                    double scale = 1 + expected.get(p).amaxNumber().doubleValue();
                    assertEquals(0, expected.get(p).sub(ga.grads().get(p)).amaxNumber().doubleValue() / scale, 1e-5,
                            p + "'s gradient at step " + step);
                }
                assertArrayEquals(rowsB, trainers[0].lastRowOutputs().get(DiffusionLossGraph.PREFIX + "loss"), 1e-5,
                        "per-row losses in row order at step " + step);
                Trainer.StepResult ra = trainers[0].step(feed(graphs[0], d, step), 0);
                assertEquals(rb.gradNorm(), ra.gradNorm(), 1e-4 * (1 + rb.gradNorm()), "grad norm at step " + step);
            }
            // (the weights themselves are not compared: Adam divides by the gradient's running RMS, so a parameter
            // whose gradient is ~1e-7, like a zero-initialised output conv's bias, moves by about lr whatever the
            // rounding)
            trainers[0].close();
            trainers[1].close();
        }
    }

    @Test
    void aPlaceholderWithAnotherRowCountIsRefusedNamingIt() {
        try (UNetModel m = UNetModel.create(CFG, 3); DataParallel p = new DataParallel(m.graph(), List.of("out"), 2, PlanStore.NONE)) {
            Map<String, INDArray> ph = new java.util.LinkedHashMap<>(m.placeholders(Nd4j.zeros(DataType.FLOAT, 4, 1, 8, 8),
                    Nd4j.zeros(DataType.FLOAT, 4), Nd4j.createFromArray(new long[4])));
            ph.put("t", Nd4j.zeros(DataType.FLOAT, 3));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.run(ph, (k, f, to, o) -> {}));
            assertTrue(e.getMessage().matches("cannot split the batch: placeholder (t has 3 rows, . has 4|. has 4 rows, t has 3)"),
                    e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> DataParallel.shardsFor(4, 2, "many"));
        assertEquals(1, DataParallel.shardsFor(4, 2, "1"));
        assertEquals(2, DataParallel.shardsFor(4, 2, "auto"));
        assertEquals(1, DataParallel.shardsFor(1, 2, "auto"));
    }

    private static Map<String, INDArray> feed(DiffusionLossGraph g, GaussianDiffusion d, long seed) {
        Nd4j.getRandom().setSeed(100 + seed);
        int[] t = new int[5];
        for (int i = 0; i < t.length; i++) t[i] = (int) ((seed * 37 + i * 23) % d.numTimesteps);
        INDArray x0 = Nd4j.rand(DataType.FLOAT, 5, 1, 8, 8).muli(2).subi(1);
        INDArray y = Nd4j.createFromArray(new long[] {1, 2, 3, 4, (int) seed});
        Map<String, INDArray> ph = new java.util.LinkedHashMap<>(g.feed(x0, t, Nd4j.randn(DataType.FLOAT, 5, 1, 8, 8), null).placeholders());
        ph.put("y", y);
        return ph;
    }
}
