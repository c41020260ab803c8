package org.diffusionexplorer.exec;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.diffusionexplorer.nn.NativeTanh;
import org.diffusionexplorer.nn.SiLU;
import org.diffusionexplorer.train.Trainer;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.factory.Nd4j;

/** The SiLU a plan runs as one oneDNN step each way ({@link SiLUFusion}, {@link OneDnnSiLU}). */
class SiLUFusionTest {
    /** h, including where SameDiff's own swish_bp overflowed (45 and up) and far below zero. */
    private static final float[] H = {-100, -60, -45, -20, -3, -1, -0.25f, -1e-3f, 0, 1e-3f, 0.25f, 1, 3, 20, 22.5f, 45, 60, 100};

    private static OpContext context(INDArray[] in, INDArray out) {
        OpContext ctx = Nd4j.getExecutioner().buildContext();
        ctx.setInputArrays(in);
        ctx.setOutputArrays(out);
        return ctx;
    }

    @Test
    void theFusedStepsComputeSiLUAndItsGradientFinitelyEverywhere() {
        assumeOneDnn();
        INDArray h = Nd4j.createFromArray(H), dy = Nd4j.linspace(DataType.FLOAT, -2, 0.25, H.length);
        INDArray y = Nd4j.create(DataType.FLOAT, H.length), dh = Nd4j.create(DataType.FLOAT, H.length);
        try (OneDnn.Scratch scratch = new OneDnn.Scratch();
                OneDnnSiLU fwd = OneDnnSiLU.bind(SiLUFusion.FORWARD, context(new INDArray[] {h}, y), scratch);
                OneDnnSiLU bwd = OneDnnSiLU.bind(SiLUFusion.BACKWARD, context(new INDArray[] {h, dy}, dh), scratch)) {
            assertTrue(fwd.run());
            assertTrue(bwd.run());
        }
        for (int i = 0; i < H.length; i++) {
            double x = H[i], t = Math.tanh(x), g = dy.getDouble(i);
            double wantY = x * (1 + t), wantDh = g * (1 + t + x * (1 - t * t));
            assertEquals(wantY, y.getDouble(i), 2e-6 * (1 + Math.abs(wantY)), "h (1 + tanh h) at " + x);
            assertEquals(wantDh, dh.getDouble(i), 2e-6 * (1 + Math.abs(wantDh)), "its gradient at " + x);
        }
    }

    @Test
    void aTrainingPlanRunsEachSiLUAsOneStepEachWayAndAgreesWithSameDiff() {
        assumeOneDnn();
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 6);
        SDVariable w = sd.var("w", Nd4j.randn(DataType.FLOAT, 6, 6).muli(8)); // large: h reaches past 45
        SDVariable a = SiLU.ofHalf(x.mmul(w).mul(0.5));
        SDVariable b = SiLU.apply(null, a.mmul(w));
        b.mul(b).mean().rename("loss");
        SameDiff grad = Trainer.gradientGraph(sd, "loss");
        Map<String, INDArray> in = Map.of("x", Nd4j.randn(DataType.FLOAT, 4, 6));
        String wGrad = sd.getVariable("w").getGradient().name();
        try (ExecutionPlan plan = ExecutionPlan.buildMany(grad, in, List.of("loss", wGrad), 1, PlanStore.NONE).get(0)) {
            // built and checked against SameDiff's outputs within ExecutionPlan.CHECK_TOLERANCE
            List<String> ops = plan.opNames();
            assertEquals(2, ops.stream().filter(SiLUFusion.FORWARD::equals).count(), ops.toString());
            assertEquals(2, ops.stream().filter(SiLUFusion.BACKWARD::equals).count(), ops.toString());
            assertFalse(ops.contains("tanh") || ops.contains("tanh_bp") || ops.contains("add_scalar"), ops.toString());
            INDArray expected = sd.calculateGradients(in, List.of("w")).get("w");
            ExecutionPlanTest.assertAgrees(expected, plan.run(in).get(wGrad), "w's gradient");
        }
        try (ExecutionPlan forward = ExecutionPlan.buildMany(sd, in, List.of(b.name()), 1, PlanStore.NONE).get(0)) {
            assertEquals(2, forward.opNames().stream().filter(SiLUFusion.FORWARD::equals).count(), forward.opNames().toString());
        }
    }

    @Test
    void aSiLUWhoseInsideIsReadElsewhereKeepsItsOps() {
        assumeOneDnn();
        SameDiff sd = SameDiff.create();
        SDVariable h = sd.placeHolder("x", DataType.FLOAT, -1, 5).mul(0.5);
        SDVariable u = NativeTanh.of(h).add(1.0);
        SDVariable y = h.mul(u).add(u); // 1 + tanh h is read twice
        Map<String, INDArray> in = Map.of("x", Nd4j.randn(DataType.FLOAT, 3, 5));
        try (ExecutionPlan plan = ExecutionPlan.buildMany(sd, in, List.of(y.name()), 1, PlanStore.NONE).get(0)) {
            assertFalse(plan.opNames().contains(SiLUFusion.FORWARD), plan.opNames().toString());
            assertTrue(plan.opNames().contains("tanh"), plan.opNames().toString());
        }
    }

    private static void assumeOneDnn() {
        org.junit.jupiter.api.Assumptions.assumeTrue(OneDnnSiLU.supported(), "oneDNN is not available on this platform");
    }
}
