package org.diffusionexplorer.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.diffusionexplorer.diffusion.ReverseSampler;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

class InterpolationTest {
    private static INDArray noise(long seed) {
        return ReverseSampler.gaussian(new SplittableRandom(seed), new long[] {1, 1, 8, 8}, DataType.FLOAT);
    }

    @Test
    void endsAreTheTwoNoisesExactlyAndTheArcKeepsTheirLength() {
        INDArray a = noise(1), b = noise(2);
        INDArray s = Interpolation.slerp(a, b, 7);
        assertArrayEquals(new long[] {7, 1, 8, 8}, s.shape());
        assertEquals(DataType.FLOAT, s.dataType());
        assertArrayEquals(a.data().asFloat(), s.get(NDArrayIndex.interval(0, 1)).dup().data().asFloat(), 0f);
        assertArrayEquals(b.data().asFloat(), s.get(NDArrayIndex.interval(6, 7)).dup().data().asFloat(), 0f);
        // with equal lengths every point of the arc has that length; the straight line's midpoint is shorter
        INDArray c = b.mul(a.norm2Number().doubleValue() / b.norm2Number().doubleValue());
        INDArray arc = Interpolation.slerp(a, c, 5);
        double len = a.norm2Number().doubleValue();
        for (int k = 0; k < 5; k++) {
            assertEquals(len, arc.get(NDArrayIndex.interval(k, k + 1)).norm2Number().doubleValue(), 1e-4 * len, "point " + k);
        }
        double line = a.add(c).mul(0.5).norm2Number().doubleValue();
        assertTrue(line < 0.85 * len, "two independent draws are nearly orthogonal: " + line + " vs " + len);
    }

    @Test
    void optionsAreDeterministicDdimWithTheFirstImagesClass() {
        Sampling.Options o = Interpolation.options("4", 5, Sampling.EVERY_CLASS, true);
        assertEquals(Sampling.Kind.DDIM, o.sampler());
        assertEquals(0.0, o.eta());
        assertEquals(0, o.label());
        assertEquals(3, Interpolation.options("", 5, 3, true).label());
        assertEquals("n", assertThrows(InvalidConfigException.class, () -> Interpolation.options("4", 1, 0, true)).field());
    }
}
