package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RespacingTest {

    @Test
    void emptyKeepsEveryStep() {
        assertEquals(1000, Respacing.spaceTimesteps(1000, "").length);
        assertEquals(1000, Respacing.spaceTimesteps(1000, null).length);
        assertEquals(1000, Respacing.spaceTimesteps(1000, "1000").length);
    }

    @Test
    void roundsHalvesToEvenLikePython() {
        // 5 steps over 7 positions: stride 1.5 -> 0, 1.5, 3, 4.5, 6 -> round() gives 0, 2, 3, 4, 6
        assertArrayEquals(new int[] {0, 2, 3, 4, 6}, Respacing.spaceTimesteps(7, "5"));
        // sections: 10 steps into "2,3": sizes 5,5 -> [0,4] and 5 + [0, 2, 4]
        assertArrayEquals(new int[] {0, 4, 5, 7, 9}, Respacing.spaceTimesteps(10, "2,3"));
        // the first T % sections get one extra step: 11 into "2,2" -> sizes 6,5
        assertArrayEquals(new int[] {0, 5, 6, 10}, Respacing.spaceTimesteps(11, "2,2"));
    }

    @Test
    void ddimUsesSmallestExactStride() {
        assertArrayEquals(new int[] {0, 250, 500, 750}, Respacing.spaceTimesteps(1000, "ddim4"));
        assertEquals(0, Respacing.spaceTimesteps(1000, "ddim50")[0]);
        assertEquals(20, Respacing.spaceTimesteps(1000, "ddim50")[1]);
    }

    @Test
    void badStringsAreRejectedClearly() {
        // as in the reference, "ddim7" over 1000 IS possible (stride 143); over 10 it is not (strides give 10, 5, 4, ...)
        assertEquals(143, Respacing.spaceTimesteps(1000, "ddim7")[1]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(10, "ddim7"));
        assertTrue(e.getMessage().contains("exactly 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(1000, "ddim600"));
        assertTrue(e.getMessage().contains("exactly 600 steps out of 1000"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(100, "10,60"));
        assertTrue(e.getMessage().contains("spans 50") && e.getMessage().contains("60"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(1000, "fifty"));
        assertTrue(e.getMessage().contains("'fifty' is not a step count"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(1000, "ddim"));
        assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(1000, "10,,20"));
        assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(1000, "0"));
        assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(1000, "-5"));
        assertThrows(IllegalArgumentException.class, () -> Respacing.spaceTimesteps(1000, "2000"));
    }

    @Test
    void respacedBetasKeepAlphaBarOfKeptSteps() {
        double[] betas = NoiseSchedule.COSINE.betas(100);
        GaussianDiffusion full = new GaussianDiffusion(betas, ModelMeanType.EPSILON, ModelVarType.FIXED_LARGE, LossType.MSE, false);
        GaussianDiffusion spaced = GaussianDiffusion.builder().schedule(NoiseSchedule.COSINE).steps(100).respacing("7,3").build();
        for (int i = 0; i < spaced.numTimesteps; i++) {
            double a = full.alphasCumprod[spaced.timestepMap[i]];
            assertEquals(a, spaced.alphasCumprod[i], 1e-10 * a); // rounding through 1 - a/a_prev and back
        }
    }

    @Test
    void modelIsFedOriginalTimesteps() {
        GaussianDiffusion d = GaussianDiffusion.builder().steps(4000).respacing("ddim100").rescaleTimesteps(true).build();
        assertEquals(100, d.numTimesteps);
        assertEquals(40 * 0.25, d.modelTimestep(1), 1e-12);
        GaussianDiffusion raw = GaussianDiffusion.builder().steps(4000).respacing("ddim100").build();
        assertEquals(3960, raw.modelTimestep(99), 0);
    }

    @Test
    void scheduleNamesAndTooShortLinear() {
        assertEquals(NoiseSchedule.COSINE, NoiseSchedule.parse(" Cosine "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NoiseSchedule.LINEAR.betas(10));
        assertTrue(e.getMessage().contains("at least 20 steps"), e.getMessage());
        assertEquals(1.0, NoiseSchedule.LINEAR.betas(20)[19], 1e-15);
    }
}
