package org.diffusionexplorer.diffusion;

import static org.diffusionexplorer.diffusion.SamplerTest.SHAPE;
import static org.diffusionexplorer.diffusion.SamplerTest.TOY;
import static org.diffusionexplorer.diffusion.SamplerTest.diffusion;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The one reverse loop: starting part-way (forks) and stopping (Cancel). */
class ReverseLoopTest {

    @Test
    void continuingFromAStoredStepOfADeterministicRunEndsWhereTheRunEnded() {
        DdimSampler ddim = new DdimSampler(diffusion("10"), 0, true);
        List<SamplingStep> steps = new ArrayList<>();
        INDArray full = ddim.sample(TOY, SHAPE, null, 4, steps::add);
        SamplingStep at = steps.get(6);
        List<SamplingStep> rest = new ArrayList<>();
        INDArray cont = ddim.run(TOY, at.x().dup(), 6, null, new SplittableRandom(99), rest::add);
        assertEquals(4, rest.size());
        assertEquals(6, rest.get(0).index());
        assertEquals(at.t(), rest.get(0).t());
        assertArrayEquals(full.data().asFloat(), cont.data().asFloat(), 0f);
    }

    @Test
    void forksWithFreshNoiseDiffer() {
        DdpmSampler ddpm = new DdpmSampler(diffusion("10"), true);
        List<SamplingStep> steps = new ArrayList<>();
        ddpm.sample(TOY, SHAPE, null, 4, steps::add);
        INDArray x = steps.get(3).x();
        INDArray a = ddpm.run(TOY, x.dup(), 3, null, new SplittableRandom(1), null);
        INDArray b = ddpm.run(TOY, x.dup(), 3, null, new SplittableRandom(2), null);
        assertFalse(Arrays.equals(a.data().asFloat(), b.data().asFloat()));
        assertThrows(IllegalArgumentException.class, () -> ddpm.run(TOY, x, 10, null, new SplittableRandom(1), null));
    }

    @Test
    void aStopRequestEndsTheRunBeforeTheNextModelCall() {
        int[] calls = {0};
        Denoiser counting = (x, t, y) -> {
            calls[0]++;
            return TOY.apply(x, t, y);
        };
        List<SamplingStep> seen = new ArrayList<>();
        SamplingListener stopAfterThree = new SamplingListener() {
            @Override
            public void onStep(SamplingStep s) {
                seen.add(s);
            }

            @Override
            public boolean stopRequested() {
                return seen.size() == 3;
            }
        };
        DdpmSampler ddpm = new DdpmSampler(diffusion(""), true);
        INDArray xT = ReverseSampler.gaussian(new SplittableRandom(5), SHAPE, DataType.FLOAT);
        assertThrows(CancellationException.class, () -> ddpm.sample(counting, xT, null, new SplittableRandom(6), stopAfterThree));
        assertEquals(3, seen.size());
        assertEquals(3, calls[0]);
    }
}
