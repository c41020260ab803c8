package org.diffusionexplorer.diffusion;

import java.util.Arrays;
import java.util.concurrent.CancellationException;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Common loop of the DDPM and DDIM samplers: from x_T down to x_0, one model call per step.
 * All randomness (x_T and per-step noise) comes from one {@link SplittableRandom} seeded by the
 * caller, so a seed reproduces a run exactly.
 */
public abstract class ReverseSampler {
    protected final GaussianDiffusion diffusion;
    protected final boolean clipDenoised;

    protected ReverseSampler(GaussianDiffusion diffusion, boolean clipDenoised) {
        this.diffusion = diffusion;
        this.clipDenoised = clipDenoised;
    }

    public GaussianDiffusion diffusion() {
        return diffusion;
    }

    /** Standard normal noise of the given shape from rng (float32). */
    public static INDArray gaussian(SplittableRandom rng, long[] shape, DataType dtype) {
        long n = 1;
        for (long s : shape) n *= s;
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = rng.nextGaussian();
        return Tensors.create(v, shape, dtype);
    }

    /** Runs all steps from fresh noise x_T of {@code shape} (float32) drawn from the seed; returns x_0. */
    public INDArray sample(Denoiser model, long[] shape, INDArray y, long seed, SamplingListener listener) {
        SplittableRandom rng = new SplittableRandom(seed);
        return run(model, gaussian(rng, shape, DataType.FLOAT), 0, y, rng, listener);
    }

    /** Runs all steps from a given x_T; further noise from {@code rng}. */
    public INDArray sample(Denoiser model, INDArray xT, INDArray y, SplittableRandom rng, SamplingListener listener) {
        return run(model, xT, 0, y, rng, listener);
    }

    /**
     * The reverse loop, the only one: from x (x_t going into step {@code fromIndex}, 0 being the noisiest)
     * down to x_0, telling the listener (may be null) about every step. Starting later than 0 continues
     * a run from one of its frames (the explorer's "fork from here"). The listener is asked before every
     * model call whether to stop; stopping throws {@link CancellationException}, and the steps so far
     * have been reported.
     */
    public INDArray run(Denoiser model, INDArray x, int fromIndex, INDArray y, SplittableRandom rng, SamplingListener listener) {
        int steps = diffusion.numTimesteps;
        if (fromIndex < 0 || fromIndex >= steps) throw new IllegalArgumentException("step " + fromIndex + " is not in 0.." + (steps - 1));
        int[] ts = new int[(int) x.size(0)];
        for (int index = fromIndex; index < steps; index++) {
            if (listener != null && listener.stopRequested()) throw new CancellationException("stopped before step " + index);
            int t = steps - 1 - index;
            Arrays.fill(ts, t);
            INDArray[] out = step(model, x, ts, y, rng);
            if (listener != null) listener.onStep(new SamplingStep(index, steps, t, diffusion.timestepMap[t], x, out[0], out[1]));
            x = out[0];
        }
        return x;
    }

    /** One step at timestep t (same for the whole batch): returns {x_{t-1}, predicted x_0}. */
    protected abstract INDArray[] step(Denoiser model, INDArray x, int[] t, INDArray y, SplittableRandom rng);
}
