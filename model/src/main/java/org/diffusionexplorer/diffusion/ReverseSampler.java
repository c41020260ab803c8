package org.diffusionexplorer.diffusion;

import java.util.Iterator;
import java.util.NoSuchElementException;
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

    /** Steps lazily from fresh noise x_T of {@code shape} (float32) drawn from the seed. */
    public Iterator<SamplingStep> progressive(Denoiser model, long[] shape, INDArray y, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return progressive(model, gaussian(rng, shape, DataType.FLOAT), y, rng);
    }

    /** Steps lazily from a given x_T; further noise from {@code rng}. */
    public Iterator<SamplingStep> progressive(Denoiser model, INDArray xT, INDArray y, SplittableRandom rng) {
        return new Iterator<>() {
            private INDArray x = xT;
            private int index = 0;

            @Override
            public boolean hasNext() {
                return index < diffusion.numTimesteps;
            }

            @Override
            public SamplingStep next() {
                if (!hasNext()) throw new NoSuchElementException();
                int t = diffusion.numTimesteps - 1 - index;
                int[] ts = new int[(int) x.size(0)];
                java.util.Arrays.fill(ts, t);
                INDArray[] out = step(model, x, ts, y, rng);
                SamplingStep s = new SamplingStep(index, diffusion.numTimesteps, t, diffusion.timestepMap[t], x, out[0], out[1]);
                x = out[0];
                index++;
                return s;
            }
        };
    }

    /** Runs all steps, telling the listener (may be null) about each; returns x_0. */
    public INDArray sample(Denoiser model, long[] shape, INDArray y, long seed, SamplingListener listener) {
        return drain(progressive(model, shape, y, seed), listener);
    }

    public INDArray sample(Denoiser model, INDArray xT, INDArray y, SplittableRandom rng, SamplingListener listener) {
        return drain(progressive(model, xT, y, rng), listener);
    }

    private static INDArray drain(Iterator<SamplingStep> it, SamplingListener listener) {
        SamplingStep last = null;
        while (it.hasNext()) {
            last = it.next();
            if (listener != null) listener.onStep(last);
        }
        return last.sample();
    }

    /** One step at timestep t (same for the whole batch): returns {x_{t-1}, predicted x_0}. */
    protected abstract INDArray[] step(Denoiser model, INDArray x, int[] t, INDArray y, SplittableRandom rng);
}
