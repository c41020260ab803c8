package org.diffusionexplorer.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropoutTest {

    @Test
    void dropsWithProbabilityPAndScalesTheRestLikePyTorch() {
        INDArray m = Dropout.mask(new SplittableRandom(1), 0.3, DataType.FLOAT, 200, 10, 10);
        assertArrayEquals(new long[] {200, 10, 10}, m.shape());
        long zeros = m.eq(0).castTo(DataType.INT32).sumNumber().longValue();
        assertEquals(0.3, zeros / 20000.0, 0.02, "fraction dropped");
        assertEquals(1 / 0.7, m.maxNumber().doubleValue(), 1e-6, "kept elements are scaled by 1/(1-p)");
        long kept = m.eq((float) (1 / 0.7)).castTo(DataType.INT32).sumNumber().longValue();
        assertEquals(20000, zeros + kept, "only 0 and 1/(1-p)");
        assertEquals(1.0, m.meanNumber().doubleValue(), 0.03, "expectation preserved");
        INDArray d = Dropout.mask(new SplittableRandom(1), 0.3, DataType.DOUBLE, 200, 10, 10);
        assertEquals(m.castTo(DataType.DOUBLE).sub(d).amaxNumber().doubleValue(), 0, 1e-6, "same draws in float64");
    }

    @Test
    void masksComeFromTheGeneratorFreshPerDraw() {
        SplittableRandom rng = new SplittableRandom(5);
        INDArray a = Dropout.mask(rng, 0.5, DataType.FLOAT, 4, 50);
        INDArray b = Dropout.mask(rng, 0.5, DataType.FLOAT, 4, 50);
        assertNotEquals(a, b, "a second draw is a new mask");
        assertEquals(a, Dropout.mask(new SplittableRandom(5), 0.5, DataType.FLOAT, 4, 50), "same seed, same mask");
    }

    @Test
    void theTrainingGraphMultipliesByTheFedMask() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 100);
        SDVariable y = Dropout.apply(new BuildContext(sd, DataType.FLOAT, Map.of(), true), "blk", x, 0.3, -1, 100);
        assertEquals(VariableType.PLACEHOLDER, sd.getVariable(Dropout.maskName("blk")).getVariableType());
        INDArray in = Nd4j.rand(DataType.FLOAT, 20, 100);
        SplittableRandom rng = new SplittableRandom(2);
        INDArray m1 = Dropout.mask(rng, 0.3, DataType.FLOAT, 20, 100), m2 = Dropout.mask(rng, 0.3, DataType.FLOAT, 20, 100);
        INDArray o1 = sd.output(Map.of("x", in, "dropout_mask/blk", m1), y.name()).get(y.name());
        INDArray o2 = sd.output(Map.of("x", in, "dropout_mask/blk", m2), y.name()).get(y.name());
        assertEquals(in.mul(m1), o1);
        assertEquals(in.mul(m2), o2);
        assertNotEquals(o1, o2, "consecutive passes with new masks differ");
    }

    @Test
    void evaluationGraphsHaveNoDropout() {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 100);
        SDVariable y = Dropout.apply(new BuildContext(sd, DataType.FLOAT, Map.of(), false), "blk", x, 0.3, -1, 100);
        assertSame(x, y);
        assertFalse(sd.hasVariable(Dropout.maskName("blk")), "no mask placeholder");
    }
}
