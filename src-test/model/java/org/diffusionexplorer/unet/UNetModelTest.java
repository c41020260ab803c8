package org.diffusionexplorer.unet;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.nn.GradCheck;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class UNetModelTest {

    /** 8x8, C=32, mult 1,2, attention at factors 1 and 2, 2 heads, scale-shift, out = 2 x in, 3 classes. */
    static UNetConfig small(double dropout) {
        return new UNetConfig(8, 1, 32, 2, 1, List.of(1, 2), dropout, List.of(1, 2), true, 3, 2, -1, true);
    }

    @Test
    void cifar10NamesAndShapesEqualTheReferenceKeyList() throws Exception {
        List<String> want = new ArrayList<>();
        for (String line : Files.readAllLines(Golden.file("cifar10_keys.txt"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] parts = line.split("\t");
            String shape = parts[1].replace("(", "[").replace(")", "]").replace(",]", "]");
            want.add(parts[0] + " " + shape);
        }
        List<ParamSpec> specs = UNetModel.parameterSpecs(UNetPresets.cifar10());
        List<String> got = specs.stream().map(ParamSpec::toString).toList();
        assertEquals(want, got);
        assertEquals(446, specs.size());
        assertEquals(52_546_438L, specs.stream().mapToLong(ParamSpec::numel).sum());
    }

    @Test
    void cifar10ModelBuildsQuicklyWithTheSameParameters() {
        long t0 = System.nanoTime();
        try (UNetModel m = UNetModel.create(UNetPresets.cifar10(), 0)) {
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf("cifar10 UNet (52.5M params) created in %.1f s%n", s);
            assertEquals(52_546_438L, m.parameterCount());
            assertEquals(446, m.stateDict().size());
            assertEquals(UNetModel.parameterSpecs(UNetPresets.cifar10()).stream().map(ParamSpec::name).toList(),
                    m.parameterNames());
            assertArrayEquals(new long[] {6, 128, 3, 3}, m.stateDict().get("out.2.weight").shape());
            assertTrue(s < 60, "building took " + s + " s");
        }
    }

    @Test
    void initialisationFollowsPyTorchDefaultsAndIsSeeded() {
        try (UNetModel a = UNetModel.create(small(0), 5); UNetModel b = UNetModel.create(small(0), 5);
                UNetModel c = UNetModel.create(small(0), 6)) {
            Map<String, INDArray> sa = a.stateDict();
            for (String n : a.parameterNames()) assertEquals(sa.get(n), b.stateDict().get(n), n);
            assertNotEquals(sa.get("time_embed.0.weight"), c.stateDict().get("time_embed.0.weight"));
            // fan-in bounds: Linear(32 -> 128): 1/sqrt(32); conv3x3 from 64 channels: 1/sqrt(576)
            assertBound(sa.get("time_embed.0.weight"), 1 / Math.sqrt(32));
            assertBound(sa.get("time_embed.0.bias"), 1 / Math.sqrt(32));
            assertBound(sa.get("input_blocks.3.0.in_layers.2.weight"), 1 / Math.sqrt(32 * 9));
            assertBound(sa.get("output_blocks.0.0.skip_connection.weight"), 1 / Math.sqrt(128));
            assertBound(sa.get("input_blocks.1.1.qkv.weight"), 1 / Math.sqrt(32));
            for (String zero : List.of("input_blocks.1.0.out_layers.3.weight", "input_blocks.1.0.out_layers.3.bias",
                    "input_blocks.1.1.proj_out.weight", "middle_block.1.proj_out.bias", "out.2.weight", "out.2.bias")) {
                assertEquals(0.0, sa.get(zero).amaxNumber().doubleValue(), zero);
            }
            assertEquals(1.0, sa.get("out.0.weight").minNumber().doubleValue());
            assertEquals(0.0, sa.get("out.0.bias").amaxNumber().doubleValue());
            INDArray emb = sa.get("label_emb.weight");
            assertArrayEquals(new long[] {3, 128}, emb.shape());
            assertEquals(0, emb.meanNumber().doubleValue(), 0.1);
            assertEquals(1, emb.stdNumber().doubleValue(), 0.1);
        }
    }

    private static void assertBound(INDArray a, double bound) {
        double max = a.amaxNumber().doubleValue();
        assertTrue(max <= bound && max > 0.9 * bound, "max |w| " + max + " vs bound " + bound);
    }

    @Test
    void mismatchedWeightsAreListedInOneMessage() {
        try (UNetModel m = UNetModel.create(UNetPresets.g1(), 0)) {
            Map<String, NpyArray> w = new LinkedHashMap<>(m.exportStateDict());
            INDArray before = m.stateDict().get("out.2.weight").dup();
            w.remove("time_embed.0.bias");
            w.remove("middle_block.1.qkv.weight");
            w.put("label_emb.weight", NpyArray.of(new float[] {1, 2}, 1, 2));
            w.put("out.0.weight", NpyArray.of(new float[] {1, 2, 3}, 3));
            w.put("out.2.bias", NpyArray.of(new long[] {0}, 1));
            var e = assertThrows(WeightsMismatchException.class, () -> m.loadStateDict(w));
            String msg = e.getMessage();
            for (String s : List.of("time_embed.0.bias", "middle_block.1.qkv.weight", "label_emb.weight",
                    "out.0.weight: got [3], expected [32]", "out.2.bias: int64")) {
                assertTrue(msg.contains(s), s + " not in: " + msg);
            }
            assertEquals(List.of("time_embed.0.bias", "middle_block.1.qkv.weight"), e.missing());
            assertEquals(List.of("label_emb.weight"), e.unexpected());
            assertEquals(1, e.wrongShape().size());
            assertEquals(1, e.wrongType().size());
            assertEquals(before, m.stateDict().get("out.2.weight"), "nothing may be written on a mismatch");
        }
    }

    @Test
    void aModelTooLargeToAllocateIsRefusedByCountNotByCrash() {
        // every field within its bound, the combination ~ 2.4e11 parameters
        UNetConfig huge = new UNetConfig(64, 3, 4096, 3, 2, List.of(), 0.0, List.of(8, 8), true, 0, 1, -1, false);
        long t0 = System.nanoTime();
        var e = assertThrows(InvalidConfigException.class, () -> UNetModel.create(huge, 0));
        assertEquals("model", e.field());
        assertTrue(e.getMessage().contains("exceed the limit"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L, "refused before allocating");
    }

    @Test
    void exportThenImportReproducesTheModel() throws Exception {
        UNetConfig cfg = small(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8).subi(0.5);
        INDArray t = Nd4j.createFromArray(3L, 700L);
        INDArray y = Nd4j.createFromArray(2L, 0L);
        try (UNetModel a = UNetModel.create(cfg, 1); UNetModel b = UNetModel.create(cfg, 2)) {
            randomise(a, 3);
            java.nio.file.Path f = Files.createTempFile("unet", ".npz");
            org.diffusionexplorer.io.Npz.writeAtomically(f, a.exportStateDict());
            b.loadStateDict(org.diffusionexplorer.io.Npz.read(f));
            Files.delete(f);
            for (String n : a.parameterNames()) assertEquals(a.stateDict().get(n), b.stateDict().get(n), n);
            assertEquals(a.forward(x, t, y), b.forward(x, t, y));
            assertEquals(List.copyOf(a.exportStateDict().keySet()), a.parameterNames());
        }
    }

    @Test
    void aModelMadeWithWeightsEqualsOneLoadedWithThemAndRefusesTheSameMismatches() {
        UNetConfig cfg = small(0);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8).subi(0.5);
        INDArray t = Nd4j.createFromArray(3L, 700L);
        INDArray y = Nd4j.createFromArray(2L, 0L);
        try (UNetModel a = UNetModel.create(cfg, 1)) {
            randomise(a, 4);
            Map<String, NpyArray> w = a.exportStateDict();
            try (UNetModel b = UNetModel.withWeights(cfg, w)) {
                assertEquals(a.parameterNames(), b.parameterNames());
                for (String n : a.parameterNames()) assertEquals(a.stateDict().get(n), b.stateDict().get(n), n);
                assertEquals(a.forward(x, t, y), b.forward(x, t, y));
                // the training graph is built on first use, on the same live weights
                assertSame(b.stateDict().get("out.2.weight"), b.graph().getVariable("out.2.weight").getArr());
            }
            Map<String, NpyArray> bad = new LinkedHashMap<>(w);
            bad.remove("out.2.bias");
            bad.put("extra.weight", NpyArray.of(new float[] {1}, 1));
            var e = assertThrows(WeightsMismatchException.class, () -> UNetModel.withWeights(cfg, bad));
            assertEquals(List.of("out.2.bias"), e.missing());
            assertEquals(List.of("extra.weight"), e.unexpected());
        }
    }

    @Test
    void bothGraphsShareTheLiveWeightArrays() {
        UNetConfig cfg = small(0.3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        INDArray t = Nd4j.createFromArray(10f, 500f);
        INDArray y = Nd4j.createFromArray(1L, 2L);
        try (UNetModel m = UNetModel.create(cfg, 4)) {
            randomise(m, 5);
            for (String n : m.parameterNames()) assertSame(m.stateDict().get(n), m.graph().getVariable(n).getArr(), n);
            INDArray before = m.forward(x, t, y);
            assertEquals(before, m.forward(x, t, y), "evaluation must be deterministic (no dropout)");
            // an in-place update, as an optimizer or EMA does, reaches the evaluation graph ...
            m.stateDict().get("out.2.bias").addi(1.0);
            INDArray after = m.forward(x, t, y);
            assertEquals(before.add(1.0).sub(after).amaxNumber().doubleValue(), 0.0, 1e-5);
            // ... and the training graph
            Map<String, INDArray> ph = new HashMap<>(m.placeholders(x, t, y));
            ph.putAll(m.dropoutMasks(2, new java.util.SplittableRandom(1)));
            SDVariable out = m.output();
            INDArray trained = m.graph().output(ph, out.name()).get(out.name());
            assertArrayEquals(new long[] {2, 2, 8, 8}, trained.shape());
            // with dropout 0.3 the training graph is random and differs from evaluation
            assertNotEquals(after, trained);
        }
    }

    @Test
    void everyTrainingPassTakesFreshDropoutMasks() {
        UNetConfig cfg = small(0.3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
        INDArray t = Nd4j.createFromArray(10f, 500f);
        INDArray y = Nd4j.createFromArray(1L, 2L);
        try (UNetModel m = UNetModel.create(cfg, 4)) {
            randomise(m, 5);
            Map<String, INDArray> masks = m.dropoutMasks(2, new java.util.SplittableRandom(3));
            // one mask per ResBlock (2 down, 2 middle, 4 up), each of its activation's full shape, all in the graph
            assertEquals(8, masks.size());
            assertArrayEquals(new long[] {2, 32, 8, 8}, masks.get("dropout_mask/input_blocks.1.0").shape());
            assertArrayEquals(new long[] {2, 64, 4, 4}, masks.get("dropout_mask/middle_block.2").shape());
            assertArrayEquals(new long[] {2, 32, 8, 8}, masks.get("dropout_mask/output_blocks.3.0").shape());
            long graphMasks = m.graph().variables().stream()
                    .filter(v -> v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.PLACEHOLDER)
                    .filter(v -> v.name().startsWith("dropout_mask/")).count();
            assertEquals(masks.size(), graphMasks);
            for (String k : masks.keySet()) assertTrue(m.graph().hasVariable(k), k);

            java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
            Map<String, INDArray> m1 = m.dropoutMasks(2, rng), m2 = m.dropoutMasks(2, rng);
            INDArray a = train(m, x, t, y, m1), b = train(m, x, t, y, m2), a2 = train(m, x, t, y, m1);
            assertNotEquals(a, b, "consecutive passes with new masks differ");
            assertEquals(a, a2, "equal masks give equal outputs");
            assertEquals(m1, m.dropoutMasks(2, new java.util.SplittableRandom(7)), "masks are a function of the generator");

            // all-ones masks switch dropout off: then training and evaluation graphs agree
            Map<String, INDArray> ones = m.noDropoutMasks(2);
            assertEquals(masks.keySet(), ones.keySet());
            for (INDArray o : ones.values()) assertEquals(1.0, o.minNumber().doubleValue());
            INDArray eval = m.forward(x, t, y);
            assertEquals(0, train(m, x, t, y, ones).sub(eval).amaxNumber().doubleValue(), 1e-5);
            assertEquals(eval, m.forward(x, t, y), "evaluation has no dropout");
        }
        try (UNetModel m = UNetModel.create(small(0), 4)) {
            assertTrue(m.dropoutMasks(2, new java.util.SplittableRandom(1)).isEmpty());
            assertTrue(m.graph().variables().stream().noneMatch(v -> v.name().startsWith("dropout_mask/")));
        }
    }

    private static INDArray train(UNetModel m, INDArray x, INDArray t, INDArray y, Map<String, INDArray> masks) {
        Map<String, INDArray> ph = new HashMap<>(m.placeholders(x, t, y));
        ph.putAll(masks);
        String out = m.output().name();
        return m.graph().output(ph, out).get(out);
    }

    @Test
    void samediffFitUpdatesTheSharedArraysInPlace() {
        UNetConfig cfg = new UNetConfig(8, 1, 32, 1, 1, List.of(), 0, List.of(1), true, 0, 1, -1, false);
        try (UNetModel m = UNetModel.create(cfg, 4)) {
            randomise(m, 7);
            INDArray x = Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8);
            INDArray t = Nd4j.createFromArray(5f, 50f);
            INDArray before = m.forward(x, t, null);
            INDArray w = m.stateDict().get("out.2.weight");
            INDArray w0 = w.dup();
            SameDiff sd = m.graph();
            SDVariable target = sd.placeHolder("target", DataType.FLOAT, -1, 1, 8, 8);
            m.output().squaredDifference(target).mean().rename("loss");
            sd.setLossVariables("loss");
            sd.setTrainingConfig(org.nd4j.autodiff.samediff.TrainingConfig.builder()
                    .updater(new org.nd4j.linalg.learning.config.Adam(1e-2))
                    .dataSetFeatureMapping("x", "t").dataSetLabelMapping("target").build());
            sd.fit(new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x, t}, new INDArray[] {Nd4j.zeros(DataType.FLOAT, 2, 1, 8, 8)}));
            assertSame(w, m.stateDict().get("out.2.weight"));
            assertSame(w, sd.getVariable("out.2.weight").getArr(), "fit must keep the shared array");
            assertNotEquals(w0, w, "fit updated the weights in place");
            assertNotEquals(before, m.forward(x, t, null), "the evaluation graph sees the update");
        }
    }

    @Test
    void trainingGraphWithDropoutIsDifferentiable() {
        // one level, no attention: a small graph keeps the gradient build quick
        UNetConfig cfg = new UNetConfig(8, 1, 32, 1, 1, List.of(), 0.3, List.of(1), true, 3, 1, -1, false);
        try (UNetModel m = UNetModel.create(cfg, 4)) {
            randomise(m, 6);
            SameDiff sd = m.graph();
            m.output().mul(m.output()).mean().rename("loss");
            sd.setLossVariables("loss");
            Map<String, INDArray> ph = new HashMap<>(m.placeholders(Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8),
                    Nd4j.createFromArray(1f, 2f), Nd4j.createFromArray(0L, 1L)));
            ph.putAll(m.dropoutMasks(2, new java.util.SplittableRandom(2)));
            Map<String, INDArray> g = sd.calculateGradients(ph, m.parameterNames());
            assertEquals(m.parameterNames().size(), g.size());
            assertTrue(g.get("input_blocks.0.0.weight").amaxNumber().doubleValue() > 0);
        }
        // and with fixed masks the gradient through dropout is exact (float64)
        try (UNetModel m = UNetModel.create(cfg, 5, DataType.DOUBLE)) {
            randomise(m, 7);
            SameDiff sd = m.graph();
            m.output().mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 1, 8, 8))).sum().rename("loss");
            sd.setLossVariables("loss");
            Map<String, INDArray> ph = new HashMap<>(m.placeholders(Nd4j.randn(DataType.DOUBLE, 2, 1, 8, 8),
                    Nd4j.createFromArray(3.0, 40.0), Nd4j.createFromArray(2L, 0L)));
            ph.putAll(m.dropoutMasks(2, new java.util.SplittableRandom(8)));
            GradCheck.Result res = GradCheck.check(sd, "loss", ph,
                    List.of("input_blocks.0.0.weight", "input_blocks.1.0.in_layers.2.weight", "input_blocks.1.0.out_layers.3.weight"), 1, 5);
            assertTrue(res.maxRelError() < 1e-5, res.toString());
        }
    }

    @Test
    void wholeUNetGradientMatchesFiniteDifferencesInFloat64() {
        try (UNetModel m = UNetModel.create(small(0), 8, DataType.DOUBLE)) {
            randomise(m, 9);
            Nd4j.getRandom().setSeed(10);
            SameDiff sd = m.graph();
            SDVariable r = sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 2, 8, 8));
            m.output().mul(r).sum().rename("loss");
            sd.setLossVariables("loss");
            Map<String, INDArray> ph = m.placeholders(Nd4j.randn(DataType.DOUBLE, 2, 1, 8, 8),
                    Nd4j.createFromArray(3.0, 811.5), Nd4j.createFromArray(2L, 0L));
            List<String> vars = List.of("time_embed.0.weight", "label_emb.weight", "input_blocks.0.0.weight",
                    "input_blocks.1.0.emb_layers.1.weight", "input_blocks.1.0.out_layers.0.weight",
                    "input_blocks.1.1.qkv.weight", "input_blocks.2.0.op.weight", "middle_block.1.proj_out.weight",
                    "output_blocks.0.0.skip_connection.weight", "output_blocks.1.2.conv.weight", "out.0.bias", "out.2.weight");
            GradCheck.Result res = GradCheck.check(sd, "loss", ph, vars, 1, 12);
            System.out.println("whole UNet gradient check: " + res);
            assertTrue(res.maxRelError() < 1e-5, res.toString());
        }
    }

    @Test
    void withoutConvResampleTheModelPoolsAndRepeatsPixels() {
        UNetConfig cfg = new UNetConfig(8, 3, 32, 3, 1, List.of(), 0, List.of(1, 1), false, 0, 1, -1, false);
        try (UNetModel m = UNetModel.create(cfg, 1)) {
            assertTrue(m.parameterNames().stream().noneMatch(n -> n.contains(".op.") || n.contains(".conv.")));
            List<UNetBuilder.Block> b = m.layout().allBlocks();
            assertEquals("Downsample", b.get(2).kind());
            assertEquals(0, b.get(2).parameterCount());
            assertArrayEquals(new long[] {2, 32, 4, 4}, b.get(2).outputShape(2));
            assertEquals("ResBlock+Upsample", b.get(6).kind());
            randomise(m, 2);
            INDArray out = m.forward(Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8), Nd4j.createFromArray(1L, 2L), null);
            assertArrayEquals(new long[] {2, 3, 8, 8}, out.shape());
            Map<String, INDArray> acts = m.activations(Nd4j.rand(DataType.FLOAT, 2, 3, 8, 8), Nd4j.createFromArray(1L, 2L), null);
            for (UNetBuilder.Block info : b) assertArrayEquals(info.outputShape(2), acts.get(info.name()).shape(), info.name());
            // the Downsample block is 2x2 average pooling of the block before it
            INDArray before = acts.get("down_01"), pooled = acts.get("down_02");
            for (int ch = 0; ch < 32; ch += 7) {
                for (int i = 0; i < 4; i++) {
                    for (int j = 0; j < 4; j++) {
                        double mean = (before.getDouble(1, ch, 2 * i, 2 * j) + before.getDouble(1, ch, 2 * i + 1, 2 * j)
                                + before.getDouble(1, ch, 2 * i, 2 * j + 1) + before.getDouble(1, ch, 2 * i + 1, 2 * j + 1)) / 4;
                        assertEquals(mean, pooled.getDouble(1, ch, i, j), 1e-5);
                    }
                }
            }
        }
        // and its training graph differentiates correctly through pooling and pixel repetition
        try (UNetModel m = UNetModel.create(cfg, 3, DataType.DOUBLE)) {
            randomise(m, 4);
            SameDiff sd = m.graph();
            m.output().mul(sd.constant(Nd4j.randn(DataType.DOUBLE, 2, 3, 8, 8))).sum().rename("loss");
            sd.setLossVariables("loss");
            Map<String, INDArray> ph = m.placeholders(Nd4j.randn(DataType.DOUBLE, 2, 3, 8, 8), Nd4j.createFromArray(4.0, 9.0), null);
            GradCheck.Result res = GradCheck.check(sd, "loss", ph,
                    List.of("input_blocks.0.0.weight", "input_blocks.1.0.in_layers.2.weight", "output_blocks.1.0.emb_layers.1.weight"), 1, 5);
            assertTrue(res.maxRelError() < 1e-5, res.toString());
        }
    }

    @Test
    void rejectsBadInputsClearly() {
        try (UNetModel m = UNetModel.create(small(0), 1)) {
            var e1 = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(Nd4j.zeros(DataType.FLOAT, 1, 1, 16, 16), Nd4j.zeros(DataType.FLOAT, 1), Nd4j.zeros(DataType.INT64, 1)));
            assertTrue(e1.getMessage().contains("[N, 1, 8, 8]"), e1.getMessage());
            var e2 = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(Nd4j.zeros(DataType.FLOAT, 1, 1, 8, 8), Nd4j.zeros(DataType.FLOAT, 1), null));
            assertTrue(e2.getMessage().contains("class-conditional"), e2.getMessage());
            var e3 = assertThrows(IllegalArgumentException.class,
                    () -> m.forward(Nd4j.zeros(DataType.FLOAT, 1, 1, 8, 8), Nd4j.zeros(DataType.FLOAT, 1), Nd4j.createFromArray(3L)));
            assertTrue(e3.getMessage().contains("[0, 3)"), e3.getMessage());
            assertThrows(IllegalArgumentException.class, () -> UNetModel.create(small(0), 1, DataType.INT32));
        }
    }

    /** Every parameter random (also the zero-initialised convs, or gradients upstream would vanish). */
    static void randomise(UNetModel m, long seed) {
        Nd4j.getRandom().setSeed(seed);
        Map<String, ParamSpec> specs = new HashMap<>();
        for (ParamSpec p : UNetModel.parameterSpecs(m.config())) specs.put(p.name(), p);
        for (Map.Entry<String, INDArray> e : m.stateDict().entrySet()) {
            INDArray a = e.getValue();
            INDArray noise = Nd4j.randn(a.dataType(), a.shape()).muli(0.05);
            if (specs.get(e.getKey()).init() == ParamSpec.Init.ONE) noise.addi(1);
            if (specs.get(e.getKey()).init() == ParamSpec.Init.FAN_IN_UNIFORM) noise.addi(a);
            a.assign(noise);
        }
    }
}
