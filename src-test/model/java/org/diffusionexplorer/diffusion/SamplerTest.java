package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class SamplerTest {
    static final long[] SHAPE = {2, 1, 4, 4};

    /** A made-up network: a fixed nonlinear function of x and t (float32 in, float32 out). */
    static final Denoiser TOY = (x, t, y) -> {
        INDArray tt = t.reshape(t.length(), 1, 1, 1).castTo(x.dataType());
        return Nd4j.math().sin(x.mul(0.7)).mul(0.5).add(tt.div(1000.0).broadcast(x.shape()));
    };

    static GaussianDiffusion diffusion(String respacing) {
        return GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(40).respacing(respacing).build();
    }

    @Test
    void ddpmIsReproducibleFromASeed() {
        DdpmSampler s = new DdpmSampler(diffusion(""), true);
        INDArray a = s.sample(TOY, SHAPE, null, 42, null);
        INDArray b = s.sample(TOY, SHAPE, null, 42, null);
        INDArray c = s.sample(TOY, SHAPE, null, 43, null);
        assertArrayEquals(a.data().asFloat(), b.data().asFloat(), 0f);
        assertFalse(Arrays.equals(a.data().asFloat(), c.data().asFloat()));
        assertEquals(DataType.FLOAT, a.dataType());
        assertArrayEquals(SHAPE, a.shape());
    }

    @Test
    void ddimWithEtaIsReproducibleAndEtaZeroIsDeterministic() {
        GaussianDiffusion d = diffusion("10");
        DdimSampler noisy = new DdimSampler(d, 1.0, true);
        assertArrayEquals(noisy.sample(TOY, SHAPE, null, 7, null).data().asFloat(),
                noisy.sample(TOY, SHAPE, null, 7, null).data().asFloat(), 0f);

        DdimSampler ddim = new DdimSampler(d, 0.0, true);
        INDArray xT = ReverseSampler.gaussian(new SplittableRandom(1), SHAPE, DataType.FLOAT);
        INDArray a = ddim.sample(TOY, xT, null, new SplittableRandom(100), null);
        INDArray b = ddim.sample(TOY, xT.dup(), null, new SplittableRandom(200), null);
        assertArrayEquals(a.data().asFloat(), b.data().asFloat(), 0f);
        assertThrows(IllegalArgumentException.class, () -> new DdimSampler(d, -0.1, true));
    }

    @Test
    void progressiveStepsChainAndRespacedModelSeesOriginalTimesteps() {
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.LINEAR).steps(100).respacing("ddim10")
                .rescaleTimesteps(false).build();
        List<double[]> fed = new ArrayList<>();
        Denoiser spy = (x, t, y) -> {
            fed.add(t.castTo(DataType.DOUBLE).toDoubleVector());
            return TOY.apply(x, t, y);
        };
        List<SamplingStep> steps = new ArrayList<>();
        INDArray out = new DdpmSampler(d, true).sample(spy, SHAPE, null, 3, steps::add);
        assertEquals(10, steps.size());
        for (int i = 0; i < 10; i++) {
            SamplingStep s = steps.get(i);
            assertEquals(i, s.index());
            assertEquals(9 - i, s.t());
            assertEquals(90 - 10 * i, s.originalT());
            assertArrayEquals(new double[] {90 - 10 * i, 90 - 10 * i}, fed.get(i), 0);
            if (i > 0) assertSame(steps.get(i - 1).sample(), s.x());
        }
        assertSame(out, steps.get(9).sample());

        GaussianDiffusion rescaled = GaussianDiffusion.builder().steps(100).respacing("ddim10").rescaleTimesteps(true).build();
        fed.clear();
        new DdimSampler(rescaled, 0, true).sample(spy, SHAPE, null, 3, null);
        assertArrayEquals(new double[] {900, 900}, fed.get(0), 1e-4);
        assertArrayEquals(new double[] {100, 100}, fed.get(8), 1e-4);
    }

    /** With the exact eps of a known x_0, both samplers must end at that x_0. */
    @Test
    void perfectDenoiserRecoversItsImage() {
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.LINEAR).steps(50)
                .varType(ModelVarType.FIXED_SMALL).build();
        INDArray x0 = Nd4j.math().tanh(ReverseSampler.gaussian(new SplittableRandom(9), SHAPE, DataType.FLOAT));
        Denoiser oracle = (x, t, y) -> {
            int ti = (int) Math.round(t.getDouble(0));
            return x.sub(x0.mul(d.sqrtAlphasCumprod[ti])).div(d.sqrtOneMinusAlphasCumprod[ti]);
        };
        INDArray ddpm = new DdpmSampler(d, true).sample(oracle, SHAPE, null, 5, null);
        INDArray ddim = new DdimSampler(d, 0, true).sample(oracle, SHAPE, null, 5, null);
        assertArrayEquals(x0.data().asFloat(), ddpm.data().asFloat(), 1e-4f);
        assertArrayEquals(x0.data().asFloat(), ddim.data().asFloat(), 1e-4f);
    }
}
