package org.diffusionexplorer.nn;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DropoutTest {

    private static INDArray run(boolean training, double p) {
        SameDiff sd = SameDiff.create();
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 100);
        SDVariable y = Dropout.apply(new BuildContext(sd, DataType.FLOAT, Map.of(), training), x, p);
        return sd.output(Map.of("x", Nd4j.ones(DataType.FLOAT, 200, 100)), y.name()).get(y.name());
    }

    @Test
    void dropsWithProbabilityPAndScalesTheRestLikePyTorch() {
        INDArray out = run(true, 0.3);
        long zeros = out.eq(0).castTo(DataType.INT32).sumNumber().longValue();
        double fraction = zeros / 20000.0;
        assertEquals(0.3, fraction, 0.02, "fraction dropped");
        double kept = out.maxNumber().doubleValue();
        assertEquals(1 / 0.7, kept, 1e-6, "kept elements are scaled by 1/(1-p)");
        assertEquals(1.0, out.meanNumber().doubleValue(), 0.03, "expectation preserved");
    }

    @Test
    void evaluationGraphsHaveNoDropout() {
        INDArray out = run(false, 0.3);
        assertEquals(Nd4j.ones(DataType.FLOAT, 200, 100), out);
    }
}
