package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestepSamplerTest {

    @Test
    void uniformGivesUnitWeightsAndCoversAllSteps() {
        TimestepSampler.Draw d = new UniformSampler(5).sample(2000, new SplittableRandom(1));
        int[] hist = new int[5];
        for (int t : d.t()) hist[t]++;
        for (int h : hist) assertTrue(h > 300, Arrays.toString(hist));
        for (double w : d.weights()) assertEquals(1.0, w, 1e-12);
    }

    @Test
    void secondMomentResamplerWarmsUpThenFollowsRootMeanSquareLoss() {
        int n = 4;
        LossSecondMomentResampler s = new LossSecondMomentResampler(n);
        // nine losses per step: still uniform
        for (int k = 0; k < 9; k++) s.update(new int[] {0, 1, 2, 3}, new double[] {1, 1, 2, 4});
        assertFalse(s.isWarmedUp());
        assertArrayEquals(new double[] {1, 1, 1, 1}, s.weights(), 0);
        // the tenth completes only steps 0..2: still uniform
        s.update(new int[] {0, 1, 2}, new double[] {1, 1, 2});
        assertFalse(s.isWarmedUp());
        s.update(new int[] {3}, new double[] {4});
        assertTrue(s.isWarmedUp());
        // histories of constant losses 1, 1, 2, 4 -> rms 1, 1, 2, 4 of total 8, mixed with 0.001 uniform
        double[] w = s.weights();
        double[] expected = {1 / 8.0, 1 / 8.0, 2 / 8.0, 4 / 8.0};
        for (int t = 0; t < n; t++) assertEquals(expected[t] * 0.999 + 0.001 / n, w[t], 1e-15);
        assertEquals(1.0, Arrays.stream(w).sum(), 1e-12);
        // importance weights 1 / (T p)
        TimestepSampler.Draw d = s.sample(500, new SplittableRandom(2));
        for (int i = 0; i < 500; i++) assertEquals(1.0 / (n * w[d.t()[i]]), d.weights()[i], 1e-12);
        // an 11th loss shifts out the oldest: history stays 10 long, newest last
        s.update(new int[] {3}, new double[] {0});
        double[] h = s.history(3);
        assertEquals(10, h.length);
        assertEquals(0.0, h[9], 0);
        assertEquals(4.0, h[0], 0);
        double rms3 = Math.sqrt(9 * 16 / 10.0);
        double total = 1 + 1 + 2 + rms3;
        assertEquals(rms3 / total * 0.999 + 0.001 / n, s.weights()[3], 1e-15);
    }

    @Test
    void namedSamplers() {
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(10).build();
        assertTrue(TimestepSampler.named("uniform", d) instanceof UniformSampler);
        assertTrue(TimestepSampler.named("loss-second-moment", d) instanceof LossSecondMomentResampler);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> TimestepSampler.named("importance", d));
        assertTrue(e.getMessage().contains("'importance'"));
    }
}
