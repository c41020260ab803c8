package org.diffusionexplorer.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The row ops against their definitions, forward and backward (their backward is written by hand). */
class RowBroadcastTest {
    private static final int R = 4, M = 6;

    private interface RowOp {
        SDVariable apply(SDVariable x, SDVariable b, long columns);
    }

    /** Builds loss = sum(op(x, b) * w), returns {y, dL/dx, dL/db} and the arrays x, b, w. */
    private static INDArray[] run(RowOp op, INDArray x, INDArray b, INDArray w) {
        SameDiff sd = SameDiff.create();
        SDVariable xv = sd.var("x", x.dup());
        SDVariable bv = sd.var("b", b.dup());
        SDVariable y = op.apply(xv, bv, M);
        y.mul(sd.constant(w)).sum().rename("loss");
        sd.setLossVariables("loss");
        INDArray out = sd.output(Map.of(), y.name()).get(y.name());
        Map<String, INDArray> g = sd.calculateGradients(Map.of(), List.of("x", "b"));
        GradCheck.Result check = GradCheck.check(sd, "loss", Map.of(), List.of("x", "b"), 6, 3);
        assertTrue(check.maxRelError() < 1e-6, check.toString());
        return new INDArray[] {out, g.get("x"), g.get("b")};
    }

    private static void check(RowOp op, BiFunction<Double, Double, Double> f, boolean multiply, double sign) {
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.randn(DataType.DOUBLE, R, M);
        INDArray b = Nd4j.randn(DataType.DOUBLE, R, 1);
        INDArray w = Nd4j.randn(DataType.DOUBLE, R, M);
        INDArray[] got = run(op, x, b, w);
        for (int r = 0; r < R; r++) {
            double rowGrad = 0;
            for (int j = 0; j < M; j++) {
                double xv = x.getDouble(r, j), bv = b.getDouble(r, 0), wv = w.getDouble(r, j);
                assertEquals(f.apply(xv, bv), got[0].getDouble(r, j), 1e-12, "y");
                assertEquals(multiply ? wv * bv : wv, got[1].getDouble(r, j), 1e-12, "dL/dx");
                rowGrad += multiply ? wv * xv : sign * wv;
            }
            assertEquals(rowGrad, got[2].getDouble(r, 0), 1e-12, "dL/db, row " + r);
        }
    }

    @Test
    void addIsXPlusTheRowsValueAndItsGradientSumsTheRow() {
        check(RowBroadcast::add, (x, b) -> x + b, false, 1);
    }

    @Test
    void subtractIsXMinusTheRowsValueAndItsGradientIsTheNegatedRowSum() {
        check(RowBroadcast::subtract, (x, b) -> x - b, false, -1);
    }

    @Test
    void multiplyScalesTheRowAndItsGradientIsTheRowsDotProduct() {
        check(RowBroadcast::multiply, (x, b) -> x * b, true, 1);
    }
}
