package org.diffusionexplorer.train;

import java.util.Iterator;
import java.util.Locale;
import java.util.function.Consumer;
import org.diffusionexplorer.diffusion.DdimSampler;
import org.diffusionexplorer.diffusion.DdpmSampler;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.ReverseSampler;
import org.diffusionexplorer.diffusion.SamplingStep;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generates images from a model and its run's diffusion settings, as image_sample.py: DDPM
 * (p_sample_loop) or DDIM, optionally respaced, denoised x_0 clipped to [-1, 1]. All noise comes
 * from the seed. Class-conditional models are asked for classes 0, 1, 2, ... in turn, so a grid
 * reads in class order (the reference draws them at random).
 */
public final class Sampling {
    private Sampling() {}

    /**
     * @param sampler   "ddpm" or "ddim"
     * @param respacing "" for every step of the run's process, "50" for 50 evenly spaced, "ddim25", "10,15,20"
     * @param eta       DDIM's eta (0 = deterministic given x_T)
     */
    public record Options(String sampler, String respacing, double eta, int count, long seed, boolean clipDenoised) {
        public Options {
            sampler = sampler == null ? "ddpm" : sampler.trim().toLowerCase(Locale.ROOT);
            if (!sampler.equals("ddpm") && !sampler.equals("ddim")) {
                throw new InvalidConfigException("sampler", "must be ddpm or ddim, got '" + sampler + "'");
            }
            respacing = respacing == null ? "" : respacing.trim();
            if (count < 1) throw new InvalidConfigException("n", "must be positive, got " + count);
            if (!(eta >= 0) || Double.isInfinite(eta)) throw new InvalidConfigException("eta", "must be >= 0, got " + eta);
            if (eta != 0 && sampler.equals("ddpm")) throw new InvalidConfigException("eta", "applies to the ddim sampler only");
        }
    }

    public record Result(INDArray samples, long[] labels, int steps) {}

    /** The reverse process of a run's settings with the requested respacing; bad respacings name the option. */
    public static ReverseSampler sampler(DiffusionSettings settings, Options o) {
        GaussianDiffusion d;
        try {
            d = settings.build(o.respacing().isEmpty() ? settings.timestepRespacing() : o.respacing());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("respace", e.getMessage());
        }
        return o.sampler().equals("ddim") ? new DdimSampler(d, o.eta(), o.clipDenoised()) : new DdpmSampler(d, o.clipDenoised());
    }

    /** Labels 0..K-1 repeated, or null for an unconditional model. */
    public static long[] labels(UNetModel model, int n) {
        return labels(model, n, -1);
    }

    /**
     * Class {@code only} for all {@code n} images, or 0..K-1 repeated when {@code only} is negative;
     * null for an unconditional model (which ignores {@code only}).
     */
    public static long[] labels(UNetModel model, int n, int only) {
        int k = model.config().numClasses();
        if (k <= 0) return null;
        if (only >= k) throw new InvalidConfigException("class", "this model knows classes 0.." + (k - 1) + ", not " + only);
        long[] y = new long[n];
        for (int i = 0; i < n; i++) y[i] = only >= 0 ? only : i % k;
        return y;
    }

    /** Runs the whole reverse process; {@code onStep} (may be null) sees every step (x_t, predicted x_0). */
    public static Result run(UNetModel model, DiffusionSettings settings, Options o, Consumer<SamplingStep> onStep) {
        ReverseSampler s = sampler(settings, o);
        int size = model.config().imageSize();
        long[] shape = {o.count(), model.config().inChannels(), size, size};
        long[] labels = labels(model, o.count());
        INDArray y = labels == null ? null : Nd4j.createFromArray(labels);
        Iterator<SamplingStep> it = s.progressive(model::forward, shape, y, o.seed());
        SamplingStep last = null;
        while (it.hasNext()) {
            last = it.next();
            if (onStep != null) onStep.accept(last);
        }
        return new Result(last.sample(), labels, s.diffusion().numTimesteps);
    }
}
