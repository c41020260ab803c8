package org.diffusionexplorer.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Every activation of the network differentiated at large |x|, where a float32 formula can overflow.
 * ND4J M2.1's swish backward returned NaN from x = 45 on, which stopped a digits run at step 373
 * (see {@link SiLU}).
 */
class ActivationBackwardTest {
    private static final double[] XS = {-1e4, -90, -50, -45, -20, -1, 0, 0.5, 20, 44, 45, 50, 88, 89, 90, 1e4};

    @Test
    void siluBackwardIsFiniteAndExactAtEveryMagnitude() {
        for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            double[] grad = gradOfSum(dt, x -> SiLU.apply(new BuildContext(x.getSameDiff(), dt, Map.of(), true), x));
            for (int i = 0; i < XS.length; i++) {
                double s = 1 / (1 + Math.exp(-XS[i]));
                double expected = s + XS[i] * s * (1 - s);
                assertTrue(Double.isFinite(grad[i]), dt + " SiLU'(" + XS[i] + ") is " + grad[i]);
                assertEquals(expected, grad[i], 1e-6, dt + " SiLU'(" + XS[i] + ")");
            }
        }
    }

    @Test
    void siluForwardAgreesInTrainingAndInferenceGraphs() {
        for (boolean training : new boolean[] {true, false}) {
            SameDiff sd = SameDiff.create();
            SDVariable x = sd.var("x", Nd4j.createFromArray(XS).castTo(DataType.FLOAT));
            SDVariable y = SiLU.apply(new BuildContext(sd, DataType.FLOAT, Map.of(), training), x);
            double[] out = y.eval().castTo(DataType.DOUBLE).toDoubleVector();
            for (int i = 0; i < XS.length; i++) {
                double expected = XS[i] / (1 + Math.exp(-XS[i]));
                assertEquals(expected, out[i], Math.max(1e-6, 1e-6 * Math.abs(expected)), "SiLU(" + XS[i] + "), training " + training);
            }
        }
    }

    @Test
    void sigmoidAndSoftmaxBackwardsAreFiniteAtEveryMagnitude() {
        for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
            double[] grad = gradOfSum(dt, x -> x.getSameDiff().nn().sigmoid(x));
            for (int i = 0; i < XS.length; i++) {
                double s = 1 / (1 + Math.exp(-XS[i]));
                assertEquals(s * (1 - s), grad[i], 1e-6, dt + " sigmoid'(" + XS[i] + ")");
            }
            // attention's softmax over logits this far apart: weighted by a ramp so the gradient is not zero by symmetry
            double[] softGrad = gradOfSum(dt, x -> {
                SameDiff sd = x.getSameDiff();
                double[] r = new double[XS.length];
                for (int i = 0; i < r.length; i++) r[i] = i;
                SDVariable ramp = sd.constant(Nd4j.createFromArray(new double[][] {r}).castTo(dt));
                return sd.nn().softmax(x.reshape(1, XS.length), 1).mul(ramp);
            });
            for (int i = 0; i < XS.length; i++) assertTrue(Double.isFinite(softGrad[i]), dt + " softmax gradient at " + XS[i]);
        }
    }

    /**
     * The case that diverged: the time + class embedding fed to SiLU grew past 44. A class-conditional
     * scale-shift UNet (the digits architecture, small) whose class table holds 60 must still have
     * finite gradients for every parameter.
     */
    @Test
    void aUNetWhoseEmbeddingExceeds45HasFiniteGradients() {
        UNetConfig cfg = new UNetConfig(8, 1, 32, 1, 1, List.of(), 0, List.of(1), true, 10, 1, -1, true);
        try (UNetModel m = UNetModel.create(cfg, 3)) {
            Nd4j.getRandom().setSeed(4);
            for (INDArray w : m.stateDict().values()) { // the zero-initialised convs would stop every gradient upstream
                if (w.amaxNumber().doubleValue() == 0) w.assign(Nd4j.randn(w.dataType(), w.shape()).muli(0.05));
            }
            m.stateDict().get("label_emb.weight").assign(60);
            SameDiff sd = m.graph();
            m.output().mul(m.output()).mean().rename("loss");
            sd.setLossVariables("loss");
            Map<String, INDArray> ph = new HashMap<>(m.placeholders(Nd4j.rand(DataType.FLOAT, 2, 1, 8, 8),
                    Nd4j.createFromArray(5f, 900f), Nd4j.createFromArray(0L, 7L)));
            Map<String, INDArray> g = sd.calculateGradients(ph, m.parameterNames());
            double sumSq = 0;
            for (String name : m.parameterNames()) {
                INDArray gi = g.get(name);
                assertFalse(gi.isNaN().any() || gi.isInfinite().any(), "gradient of " + name + " is not finite");
                sumSq += gi.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            }
            assertTrue(sumSq > 0, "some gradient is non-zero");
            assertTrue(g.get("label_emb.weight").amaxNumber().doubleValue() > 0, "the class table is reached");
        }
    }

    private static double[] gradOfSum(DataType dt, java.util.function.UnaryOperator<SDVariable> f) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.var("x", Nd4j.createFromArray(XS).castTo(dt));
        f.apply(x).sum().rename("loss");
        sd.setLossVariables("loss");
        OpRegistration.forDifferentiation(); // not a training graph: SameDiff clones it before it differentiates
        return sd.calculateGradients(Map.of(), "x").get("x").castTo(DataType.DOUBLE).toDoubleVector();
    }
}
