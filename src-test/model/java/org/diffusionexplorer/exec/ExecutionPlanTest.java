package org.diffusionexplorer.exec;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ExecutionPlanTest {

    private static Map<String, INDArray> inputs(UNetModel m, int n, long seed) {
        Nd4j.getRandom().setSeed(seed);
        int s = m.config().imageSize();
        INDArray y = m.config().classConditional() ? Nd4j.createFromArray(new long[n]).addi(seed % 3) : null;
        return m.placeholders(Nd4j.randn(DataType.FLOAT, n, m.config().inChannels(), s, s),
                Nd4j.rand(DataType.FLOAT, n).muli(999), y);
    }

    @Test
    void aForwardPlanGivesSameDiffsOutputForNewInputsAndNewWeights() {
        UNetConfig cfg = UNetPresets.g1();
        try (UNetModel m = UNetModel.create(cfg, 3)) {
            SameDiff sd = m.graph();
            for (INDArray w : m.stateDict().values()) if (w.amaxNumber().doubleValue() == 0) w.assign(Nd4j.randn(w.dataType(), w.shape()).muli(0.05));
            String out = m.output().name();
            try (ExecutionPlan plan = ExecutionPlan.build(sd, inputs(m, 4, 1), List.of(out))) {
                assertTrue(plan.size() > 50, "ops: " + plan.size());
                for (long seed = 2; seed < 4; seed++) {
                    Map<String, INDArray> in = inputs(m, 4, seed);
                    INDArray expected = sd.output(in, out).get(out);
                    INDArray got = plan.run(in).get(out);
                    assertEquals(0, expected.sub(got).amaxNumber().doubleValue(), 1e-6, "seed " + seed);
                }
                // weights are read live: an in-place update reaches the plan
                m.stateDict().get("out.2.weight").muli(2);
                Map<String, INDArray> in = inputs(m, 4, 5);
                INDArray expected = sd.output(in, out).get(out);
                assertEquals(0, expected.sub(plan.run(in).get(out)).amaxNumber().doubleValue(), 1e-6);
                assertThrows(IllegalArgumentException.class, () -> plan.run(inputs(m, 2, 1)), "another batch size is refused");
            }
        }
    }

    @Test
    void aGradientPlanGivesSameDiffsGradients() {
        UNetConfig cfg = new UNetConfig(8, 1, 32, 1, 1, List.of(2), 0, List.of(1, 2), true, 10, 2, -1, true);
        try (UNetModel m = UNetModel.create(cfg, 3)) {
            for (INDArray w : m.stateDict().values()) if (w.amaxNumber().doubleValue() == 0) w.assign(Nd4j.randn(w.dataType(), w.shape()).muli(0.05));
            SameDiff sd = m.graph();
            SameDiff grad = org.diffusionexplorer.train.Trainer.gradientGraph(sd, m.output().mul(m.output()).mean().rename("loss").name());
            List<String> names = new ArrayList<>(List.of("loss"));
            for (String p : m.parameterNames()) names.add(sd.getVariable(p).getGradient().name());
            try (ExecutionPlan plan = ExecutionPlan.build(grad, inputs(m, 3, 1), names)) {
                Map<String, INDArray> in = inputs(m, 3, 7);
                Map<String, INDArray> expected = sd.calculateGradients(in, m.parameterNames());
                Map<String, INDArray> got = new HashMap<>(plan.run(in));
                for (String p : m.parameterNames()) {
                    INDArray g = got.get(sd.getVariable(p).getGradient().name());
                    double scale = 1 + expected.get(p).amaxNumber().doubleValue();
                    assertEquals(0, expected.get(p).sub(g).amaxNumber().doubleValue() / scale, 1e-5, p);
                }
            }
        }
    }
}
