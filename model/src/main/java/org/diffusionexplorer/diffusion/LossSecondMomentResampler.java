package org.diffusionexplorer.diffusion;

import java.util.Arrays;

/**
 * Importance sampling of the paper's section 3.3: keeps the last {@code historyPerTerm} losses of every
 * timestep; until every timestep has that many it samples uniformly, then with
 * p(t) proportional to sqrt(mean of loss^2), mixed with {@code uniformProb} of the uniform distribution
 * so that no timestep is starved.
 */
public final class LossSecondMomentResampler implements TimestepSampler {
    public static final int DEFAULT_HISTORY = 10;
    public static final double DEFAULT_UNIFORM_PROB = 0.001;

    private final int numTimesteps;
    private final int historyPerTerm;
    private final double uniformProb;
    private final double[][] history;
    private final int[] counts;

    public LossSecondMomentResampler(int numTimesteps) {
        this(numTimesteps, DEFAULT_HISTORY, DEFAULT_UNIFORM_PROB);
    }

    public LossSecondMomentResampler(GaussianDiffusion diffusion) {
        this(diffusion.numTimesteps);
    }

    public LossSecondMomentResampler(int numTimesteps, int historyPerTerm, double uniformProb) {
        if (numTimesteps < 1 || historyPerTerm < 1) throw new IllegalArgumentException("need at least one timestep and one loss per timestep");
        if (!(uniformProb >= 0 && uniformProb <= 1)) throw new IllegalArgumentException("uniform probability must lie in [0, 1]");
        this.numTimesteps = numTimesteps;
        this.historyPerTerm = historyPerTerm;
        this.uniformProb = uniformProb;
        this.history = new double[numTimesteps][historyPerTerm];
        this.counts = new int[numTimesteps];
    }

    /** True once every timestep has a full history. */
    public synchronized boolean isWarmedUp() {
        for (int c : counts) if (c < historyPerTerm) return false;
        return true;
    }

    @Override
    public synchronized double[] weights() {
        double[] w = new double[numTimesteps];
        if (!isWarmedUp()) {
            Arrays.fill(w, 1.0);
            return w;
        }
        double sum = 0;
        for (int t = 0; t < numTimesteps; t++) {
            double sq = 0;
            for (double l : history[t]) sq += l * l;
            w[t] = Math.sqrt(sq / historyPerTerm);
            sum += w[t];
        }
        for (int t = 0; t < numTimesteps; t++) w[t] = w[t] / sum * (1 - uniformProb) + uniformProb / numTimesteps;
        return w;
    }

    /** Records the (unweighted) per-item losses of a batch; the oldest loss of a full timestep drops out. */
    public synchronized void update(int[] t, double[] losses) {
        if (t.length != losses.length) throw new IllegalArgumentException(t.length + " timesteps but " + losses.length + " losses");
        for (int i = 0; i < t.length; i++) {
            int ti = t[i];
            if (ti < 0 || ti >= numTimesteps) throw new IllegalArgumentException("timestep " + ti + " outside 0.." + (numTimesteps - 1));
            if (counts[ti] == historyPerTerm) {
                System.arraycopy(history[ti], 1, history[ti], 0, historyPerTerm - 1);
                history[ti][historyPerTerm - 1] = losses[i];
            } else {
                history[ti][counts[ti]++] = losses[i];
            }
        }
    }

    /** A copy of the loss history of timestep t (only the filled entries). */
    public synchronized double[] history(int t) {
        return Arrays.copyOf(history[t], counts[t]);
    }
}
