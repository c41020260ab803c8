package org.diffusionexplorer.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DiagonalGaussianTest {

    @Test
    void klMatchesTheTextbookFormula() {
        assertEquals(0.0, DiagonalGaussian.normalKl(0.7, -1.3, 0.7, -1.3), 1e-15);
        assertEquals(0.5, DiagonalGaussian.normalKl(1, 0, 0, 0), 1e-15);
        double m1 = 0.3, s1 = 0.5, m2 = -0.2, s2 = 2.0;
        // KL = log(s2/s1) + (s1^2 + (m1-m2)^2) / (2 s2^2) - 1/2
        double expected = Math.log(s2 / s1) + (s1 * s1 + (m1 - m2) * (m1 - m2)) / (2 * s2 * s2) - 0.5;
        assertEquals(expected, DiagonalGaussian.normalKl(m1, 2 * Math.log(s1), m2, 2 * Math.log(s2)), 1e-14);
    }

    @Test
    void approximateCdf() {
        assertEquals(0.5, DiagonalGaussian.approxStandardNormalCdf(0), 0);
        // values of the tanh formula, worked out separately
        assertEquals(0.8411919906082768, DiagonalGaussian.approxStandardNormalCdf(1.0), 1e-15);
        assertEquals(0.02270115295611247, DiagonalGaussian.approxStandardNormalCdf(-2.0), 1e-15);
        // and close to the true CDF (Phi(1) = 0.841344746)
        assertEquals(0.841344746, DiagonalGaussian.approxStandardNormalCdf(1.0), 2e-4);
    }

    @Test
    void discretizedDecoderLikelihood() {
        // middle bin: about log(2/255 * phi(0)) for a unit Gaussian centred on the value
        assertEquals(-5.76705747360343, DiagonalGaussian.discretizedGaussianLogLikelihood(0, 0, 0), 1e-12);
        assertEquals(Math.log(2 / 255.0 / Math.sqrt(2 * Math.PI)), DiagonalGaussian.discretizedGaussianLogLikelihood(0, 0, 0), 1e-3);
        // edge bins reach to -inf / +inf
        assertEquals(-1.7809687221053923, DiagonalGaussian.discretizedGaussianLogLikelihood(-1, -0.9, Math.log(0.1)), 1e-12);
        assertEquals(-2.88611633941833, DiagonalGaussian.discretizedGaussianLogLikelihood(1, 0.2, Math.log(0.5)), 1e-12);
        // far outside: floored at log(1e-12)
        assertEquals(Math.log(1e-12), DiagonalGaussian.discretizedGaussianLogLikelihood(0.5, 3.0, Math.log(0.01)), 1e-12);
    }
}
