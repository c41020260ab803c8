package org.diffusionexplorer.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class EmaTest {
    @Test
    void followsTheReferenceFormula() {
        for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
            INDArray p = Nd4j.createFromArray(1.0, -2.0, 0.5).castTo(dt);
            Ema e = new Ema(Map.of("w", p), 0.9, false);
            double[] ref = {1.0, -2.0, 0.5};
            for (int step = 1; step <= 5; step++) {
                p.addi(step * 0.25); // the weights move; the EMA trails them
                e.update();
                for (int j = 0; j < 3; j++) {
                    ref[j] = 0.9 * ref[j] + 0.1 * p.getDouble(j);
                    assertEquals(ref[j], e.weights().get("w").getDouble(j), dt == DataType.FLOAT ? 1e-6 : 1e-14);
                }
            }
            assertEquals(5, e.updates());
        }
    }

    @Test
    void startsAsACopyNotAnAlias() {
        INDArray p = Nd4j.createFromArray(1.0f, 2.0f);
        Ema e = new Ema(Map.of("w", p), 0.5, false);
        p.addi(10);
        assertEquals(1.0, e.weights().get("w").getDouble(0), 0);
    }

    @Test
    void warmupRampsTheRate() {
        INDArray p = Nd4j.createFromArray(0.0f);
        Ema e = new Ema(Map.of("w", p), 0.999, true);
        assertEquals(0.1, e.effectiveRate(), 1e-15);      // (1+0)/(10+0)
        p.assign(1);
        e.update();                                         // ema = 0.1*0 + 0.9*1
        assertEquals(0.9, e.weights().get("w").getDouble(0), 1e-6);
        assertEquals(2.0 / 11.0, e.effectiveRate(), 1e-15);
        for (int i = 0; i < 100000; i++) e.update();
        assertEquals(0.999, e.effectiveRate(), 0);          // capped by the configured rate
    }
}
