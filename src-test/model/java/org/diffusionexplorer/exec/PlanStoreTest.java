package org.diffusionexplorer.exec;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.unet.UNetBuilder;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

class PlanStoreTest {
    private static final UNetConfig CFG = new UNetConfig(8, 1, 32, 1, 1, List.of(2), 0, List.of(1, 2), true, 10, 2, -1, true);

    /** Counts the ops SameDiff itself executes. */
    private static final class OpCounter extends BaseListener {
        final AtomicInteger ops = new AtomicInteger();

        @Override
        public boolean isActive(Operation operation) {
            return true;
        }

        @Override
        public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
            ops.incrementAndGet();
        }
    }

    private static Map<String, INDArray> inputs(UNetModel m, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int s = m.config().imageSize();
        return m.placeholders(Nd4j.randn(DataType.FLOAT, n, 1, s, s), Nd4j.rand(DataType.FLOAT, n).muli(999),
                Nd4j.createFromArray(new long[n]).addi(seed % 3));
    }

    private static UNetModel model(long seed) {
        UNetModel m = UNetModel.create(CFG, seed);
        for (INDArray w : m.stateDict().values()) if (w.amaxNumber().doubleValue() == 0) w.assign(Nd4j.randn(w.dataType(), w.shape()).muli(0.05));
        return m;
    }

    private static long files(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".json")).count();
        }
    }

    @Test
    void aKeptRecordingMakesAPlanWithoutRunningSameDiffAndItComputesWhatSameDiffDoes(@TempDir Path dir) throws Exception {
        PlanStore store = PlanStore.readWrite(dir);
        try (UNetModel a = model(3); UNetModel b = model(4)) {
            String outA = a.output().name();
            for (ExecutionPlan p : ExecutionPlan.buildMany(a.graph(), inputs(a, 4, 1), List.of(outA), 1, store)) p.close();
            assertEquals(1, files(dir), "the recording was kept");

            // another model of the same configuration: the same graph, other weights (read live)
            SameDiff sd = b.graph();
            String out = b.output().name();
            OpCounter counter = new OpCounter();
            sd.addListeners(counter);
            List<ExecutionPlan> plans = ExecutionPlan.buildMany(sd, inputs(b, 4, 1), List.of(out), 2, store);
            try {
                assertEquals(0, counter.ops.get(), "no op ran through SameDiff to make the plans");
                for (ExecutionPlan plan : plans) {
                    Map<String, INDArray> in = inputs(b, 4, 7);
                    INDArray got = plan.run(in).get(out).dup();
                    INDArray expected = sd.output(in, out).get(out);
                    ExecutionPlanTest.assertAgrees(expected, got, "plan from a kept recording");
                }
            } finally {
                for (ExecutionPlan p : plans) p.close();
            }
        }
    }

    @Test
    void aRecordingIsKeptForItsGraphAndShapesOnly() {
        try (UNetModel a = model(3); UNetModel wider = UNetModel.create(new UNetConfig(8, 1, 64, 1, 1, List.of(2), 0, List.of(1, 2),
                true, 10, 2, -1, true), 3)) {
            List<String> out = List.of(a.output().name());
            String four = PlanStore.key(a.graph(), inputs(a, 4, 1), out);
            assertEquals(four, PlanStore.key(a.graph(), inputs(a, 4, 2), out), "values do not enter the key");
            assertNotEquals(four, PlanStore.key(a.graph(), inputs(a, 3, 1), out), "another batch size");
            assertNotEquals(four, PlanStore.key(wider.graph(), inputs(wider, 4, 1), List.of(wider.output().name())), "another graph");
        }
    }

    @Test
    void aDamagedRecordingIsIgnoredAndMadeAgain(@TempDir Path dir) throws Exception {
        try (UNetModel m = model(3)) {
            SameDiff sd = m.graph();
            String out = m.output().name();
            Map<String, INDArray> in = inputs(m, 2, 1);
            Files.writeString(dir.resolve(PlanStore.key(sd, in, List.of(out)) + ".json"), "{\"key\": \"not what it says\", \"steps\": [");
            OpCounter counter = new OpCounter();
            sd.addListeners(counter);
            try (ExecutionPlan plan = ExecutionPlan.buildMany(sd, in, List.of(out), 1, PlanStore.readWrite(dir)).get(0)) {
                assertTrue(counter.ops.get() > 50, "recorded through SameDiff: " + counter.ops.get());
                INDArray got = plan.run(in).get(out).dup();
                ExecutionPlanTest.assertAgrees(sd.output(in, out).get(out), got, "plan recorded again");
            }
        }
    }

    /**
     * assets/plans holds a recording for every shard size of the Denoising pane's default 9 images (1 to
     * 9+ cores), and for the lesson's sample grids of 16 on 1, 2 and 4 cores (the lesson trains this
     * architecture).
     */
    @Test
    void theShippedRecordingsFitTheBundledModelsGraph() throws Exception {
        RunWeights w = BundledModels.load(BundledModels.DEFAULT);
        try (UNetModel m = w.newModel()) {
            SameDiff sd = SameDiff.create();
            UNetBuilder.build(UNetBuilder.layout(m.config()), sd, DataType.FLOAT, m.stateDict(), false);
            Path dir = Datasets.assetsDir().resolve("plans");
            for (int rows : new int[] {9, 5, 3, 2, 1, 16, 8, 4}) {
                int s = m.config().imageSize();
                Map<String, INDArray> in = m.placeholders(Nd4j.zeros(DataType.FLOAT, rows, m.config().inChannels(), s, s),
                        Nd4j.zeros(DataType.FLOAT, rows), Nd4j.zeros(DataType.INT64, rows));
                String key = PlanStore.key(sd, in, List.of("out"));
                assertTrue(Files.isRegularFile(dir.resolve(key + ".json")),
                        "no recording for " + rows + " rows of the bundled model's current graph: run model/scripts/make-plan-recordings.sh");
            }
        }
    }
}
