package org.diffusionexplorer.diffusion;

import java.util.Locale;

/** The named beta schedules of the reference, in float64. */
public enum NoiseSchedule {
    /** Ho et al.'s linear betas, stretched so that any T keeps the same overall noise. */
    LINEAR,
    /** Nichol and Dhariwal's cosine alpha-bar, discretised into betas capped at 0.999. */
    COSINE;

    public static final double MAX_BETA = 0.999;

    public static NoiseSchedule parse(String name) {
        if (name == null) throw new IllegalArgumentException("noise schedule missing (expected linear or cosine)");
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "linear": return LINEAR;
            case "cosine": return COSINE;
            default: throw new IllegalArgumentException("unknown noise schedule '" + name + "' (expected linear or cosine)");
        }
    }

    public double[] betas(int steps) {
        if (steps < 1) throw new IllegalArgumentException("number of diffusion steps must be at least 1, got " + steps);
        return this == LINEAR ? linear(steps) : cosine(steps);
    }

    private static double[] linear(int n) {
        double scale = 1000.0 / n;
        double start = scale * 0.0001;
        double end = scale * 0.02;
        if (end > 1) throw new IllegalArgumentException("the linear schedule needs at least 20 steps (its last beta is 0.02 * 1000 / T), got " + n);
        double[] b = new double[n];
        // numpy.linspace arithmetic: start + i * step, the last point exactly the end value
        double step = n > 1 ? (end - start) / (n - 1) : 0;
        for (int i = 0; i < n; i++) b[i] = start + i * step;
        if (n > 1) b[n - 1] = end;
        return b;
    }

    /** alpha-bar(s) of the cosine schedule, s in [0, 1]. */
    public static double cosineAlphaBar(double s) {
        double c = Math.cos((s + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
    }

    private static double[] cosine(int n) {
        double[] b = new double[n];
        for (int i = 0; i < n; i++) {
            double t1 = (double) i / n;
            double t2 = (double) (i + 1) / n;
            b[i] = Math.min(1 - cosineAlphaBar(t2) / cosineAlphaBar(t1), MAX_BETA);
        }
        return b;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
