package org.diffusionexplorer.diffusion;

/** Likelihood helpers for diagonal Gaussians, element by element in float64 (results in nats). */
public final class DiagonalGaussian {
    private DiagonalGaussian() {}

    /** Half-width of one 8-bit intensity bin on the [-1, 1] scale. */
    public static final double BIN = 1.0 / 255.0;
    private static final double LOG_FLOOR = 1e-12;

    /** KL( N(mean1, exp(logvar1)) || N(mean2, exp(logvar2)) ). */
    public static double normalKl(double mean1, double logvar1, double mean2, double logvar2) {
        double d = mean1 - mean2;
        return 0.5 * (-1.0 + logvar2 - logvar1 + Math.exp(logvar1 - logvar2) + d * d * Math.exp(-logvar2));
    }

    /** The tanh approximation of the standard normal CDF the reference uses (not erf). */
    public static double approxStandardNormalCdf(double x) {
        return 0.5 * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /**
     * log P(x) where x is an 8-bit value scaled to [-1, 1] and the model is N(mean, exp(logScale)^2)
     * integrated over x's bin; the outermost bins extend to -inf / +inf.
     */
    public static double discretizedGaussianLogLikelihood(double x, double mean, double logScale) {
        double centered = x - mean;
        double invStdv = Math.exp(-logScale);
        double cdfPlus = approxStandardNormalCdf(invStdv * (centered + BIN));
        double cdfMin = approxStandardNormalCdf(invStdv * (centered - BIN));
        if (x < -0.999) return Math.log(Math.max(cdfPlus, LOG_FLOOR));
        if (x > 0.999) return Math.log(Math.max(1.0 - cdfMin, LOG_FLOOR));
        return Math.log(Math.max(cdfPlus - cdfMin, LOG_FLOOR));
    }
}
