package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TrainerTest {
    /** 8x8, attention at factor 2, scale-shift norm: a small real UNet. */
    static final UNetConfig TINY = new UNetConfig(8, 1, 32, 1, 1, List.of(2), 0.0, List.of(1, 2), true, 0, 2, -1, true);

    @BeforeAll
    static void runtime() {
        NativeRuntime.configure();
    }

    private static Map<String, INDArray> batch(DataType dt, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, INDArray> b = new HashMap<>();
        b.put("x", Nd4j.randn(dt, n, 1, 8, 8));
        b.put("t", Nd4j.rand(dt, n).muli(1000));
        b.put("target", Nd4j.randn(dt, n, 1, 8, 8));
        return b;
    }

    private static UNetModel model(long seed, DataType dt) {
        UNetModel m = UNetModel.create(TINY, seed, dt);
        Trainer.addMseLoss(m.graph(), m.output(), "target");
        return m;
    }

    private static Trainer trainer(UNetModel m, double lr, Trainer.Accumulation acc) {
        return new Trainer(m.graph(), "loss", new AdamW(m.stateDict(), lr), List.of(new Ema(m.stateDict(), 0.99, false)), acc);
    }

    @Test
    void lossFallsOnAFixedBatch() {
        Trainer tr = trainer(model(3, DataType.FLOAT), 1e-3, Trainer.Accumulation.SUM);
        Map<String, INDArray> b = batch(DataType.FLOAT, 4, 7);
        double first = Double.NaN, last = Double.NaN;
        for (int i = 0; i < 15; i++) {
            Trainer.StepResult r = tr.step(b, 0);
            if (i == 0) first = r.loss();
            last = r.loss();
            assertTrue(r.gradNorm() > 0 && Double.isFinite(r.gradNorm()));
        }
        assertTrue(last < 0.7 * first, "loss " + first + " -> " + last);
        assertEquals(15, tr.optimizer().step());
    }

    @Test
    void meanAccumulationEqualsOneBigBatchAndSumIsTheReference() {
        Trainer mean = trainer(model(5, DataType.DOUBLE), 1e-3, Trainer.Accumulation.MEAN);
        Map<String, INDArray> b = batch(DataType.DOUBLE, 6, 11);
        Trainer.Gradients whole = mean.gradients(List.of(b), null);
        Map<String, INDArray> big = new HashMap<>();
        whole.grads().forEach((k, v) -> big.put(k, v.dup()));
        double bigLoss = whole.loss();

        // micro-batches of 2, 2 and 2 rows
        Trainer.Gradients acc = mean.gradients(split(b, 2), null);
        assertEquals(bigLoss, acc.loss(), 1e-12);
        for (String k : big.keySet()) {
            double scale = Math.max(1e-8, big.get(k).amaxNumber().doubleValue());
            assertEquals(0, big.get(k).sub(acc.grads().get(k)).amaxNumber().doubleValue() / scale, 1e-7, k);
        }

        // the reference sums the micro-batch means: 3 equal micro-batches give 3x the big-batch gradient
        Trainer sum = trainer(model(5, DataType.DOUBLE), 1e-3, Trainer.Accumulation.SUM);
        Trainer.Gradients s = sum.gradients(split(b, 2), null);
        for (String k : big.keySet()) {
            double scale = Math.max(1e-8, big.get(k).amaxNumber().doubleValue());
            assertEquals(0, big.get(k).mul(3).sub(s.grads().get(k)).amaxNumber().doubleValue() / scale, 1e-7, k);
        }
    }

    @Test
    void perPassMasksAreDrawnPerMicroBatchAndClosedAfterTheirPass() {
        UNetModel m = UNetModel.create(TINY.withDropout(0.3), 5, DataType.DOUBLE);
        Trainer.addMseLoss(m.graph(), m.output(), "target");
        // the convolution after each dropout and the output head start at zero, which would hide the masks
        Nd4j.getRandom().setSeed(2);
        m.stateDict().forEach((k, v) -> {
            if (k.contains(".out_layers.3.") || k.startsWith("out.2.")) v.assign(Nd4j.randn(DataType.DOUBLE, v.shape()).muli(0.05));
        });
        Trainer mean = trainer(m, 1e-3, Trainer.Accumulation.MEAN);
        Map<String, INDArray> b = batch(DataType.DOUBLE, 6, 11);
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        List<Integer> rows = new java.util.ArrayList<>();
        List<Map<String, INDArray>> drawn = new java.util.ArrayList<>(), copies = new java.util.ArrayList<>();
        Trainer.Gradients acc = mean.gradients(split(b, 2), n -> {
            rows.add(n);
            Map<String, INDArray> masks = m.dropoutMasks(n, rng);
            Map<String, INDArray> copy = new HashMap<>();
            masks.forEach((k, v) -> copy.put(k, v.dup()));
            drawn.add(masks);
            copies.add(copy);
            return masks;
        });
        assertEquals(List.of(2, 2, 2), rows);
        for (Map<String, INDArray> d : drawn) for (INDArray a : d.values()) assertTrue(a.wasClosed(), "mask closed after its pass");
        Map<String, INDArray> accGrads = new HashMap<>();
        acc.grads().forEach((k, v) -> accGrads.put(k, v.dup()));

        // the same masks given for the whole batch at once give the same mean loss and gradient
        Map<String, INDArray> whole = new HashMap<>(b);
        for (String k : copies.get(0).keySet()) {
            whole.put(k, Nd4j.concat(0, copies.get(0).get(k), copies.get(1).get(k), copies.get(2).get(k)));
        }
        Trainer.Gradients big = mean.gradients(List.of(whole), null);
        assertEquals(big.loss(), acc.loss(), 1e-12);
        for (String k : accGrads.keySet()) {
            double scale = Math.max(1e-8, accGrads.get(k).amaxNumber().doubleValue());
            assertEquals(0, accGrads.get(k).sub(big.grads().get(k)).amaxNumber().doubleValue() / scale, 1e-7, k);
        }
        // and other masks another loss
        assertTrue(Math.abs(mean.gradients(List.of(b), n -> m.dropoutMasks(n, rng)).loss() - big.loss()) > 1e-9);
    }


    private static List<Map<String, INDArray>> split(Map<String, INDArray> b, int mb) {
        long n = b.get("x").size(0);
        List<Map<String, INDArray>> out = new java.util.ArrayList<>();
        for (long i = 0; i < n; i += mb) {
            Map<String, INDArray> m = new HashMap<>();
            for (var e : b.entrySet()) m.put(e.getKey(), e.getValue().get(org.nd4j.linalg.indexing.NDArrayIndex.interval(i, i + mb)).dup());
            out.add(m);
        }
        return out;
    }
}
