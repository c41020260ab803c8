package org.diffusionexplorer.diffusion;

import java.util.random.RandomGenerator;

/**
 * A distribution over training timesteps (importance sampling): draws t with probability p(t) and
 * weights each loss by 1 / (T p(t)), so the expected weighted loss equals the uniform one.
 */
public interface TimestepSampler {

    /** The reference's names: "uniform" or "loss-second-moment". */
    static TimestepSampler named(String name, GaussianDiffusion diffusion) {
        switch (name == null ? "" : name.trim()) {
            case "uniform": return new UniformSampler(diffusion);
            case "loss-second-moment": return new LossSecondMomentResampler(diffusion);
            default: throw new IllegalArgumentException("unknown schedule sampler '" + name + "' (expected uniform or loss-second-moment)");
        }
    }

    /** Unnormalised positive weights, one per timestep. */
    double[] weights();

    /** The probability of drawing each timestep next: the weights over their sum (a copy). */
    default double[] probabilities() {
        double[] p = weights();
        double total = 0;
        for (double v : p) total += v;
        for (int i = 0; i < p.length; i++) p[i] /= total;
        return p;
    }

    /** Timesteps and their importance weights for one batch. */
    default Draw sample(int batchSize, RandomGenerator rng) {
        double[] p = probabilities();
        int n = p.length;
        double[] cdf = new double[n];
        double acc = 0;
        for (int i = 0; i < n; i++) {
            acc += p[i];
            cdf[i] = acc;
        }
        int[] t = new int[batchSize];
        double[] weights = new double[batchSize];
        for (int b = 0; b < batchSize; b++) {
            double u = rng.nextDouble() * acc; // scale by acc: the cdf may end a rounding error below 1
            int lo = 0, hi = n - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cdf[mid] > u) hi = mid; else lo = mid + 1;
            }
            t[b] = lo;
            weights[b] = 1.0 / (n * p[lo]);
        }
        return new Draw(t, weights);
    }

    /** Timesteps of a batch and the weights of their losses. */
    record Draw(int[] t, double[] weights) {}
}
