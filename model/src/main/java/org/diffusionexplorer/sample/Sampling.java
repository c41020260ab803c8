package org.diffusionexplorer.sample;

import java.util.Locale;
import java.util.SplittableRandom;
import org.diffusionexplorer.config.DiffusionSettings;
import org.diffusionexplorer.diffusion.DdimSampler;
import org.diffusionexplorer.diffusion.DdpmSampler;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.ReverseSampler;
import org.diffusionexplorer.diffusion.SamplingListener;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Generates images from a model and its run's diffusion settings, as image_sample.py: DDPM
 * (p_sample_loop) or DDIM, optionally respaced, denoised x_0 clipped to [-1, 1]. All noise comes
 * from the seed. Class-conditional models are asked for classes 0, 1, 2, ... in turn, so a grid
 * reads in class order (the reference draws them at random), or for one class throughout.
 * Every caller (sample, evaluate, the trainer's grids, the explorer) comes through here with one
 * {@link Options} and one {@link SamplingListener}; the loop itself is {@link ReverseSampler#run}.
 */
public final class Sampling {
    private Sampling() {}

    /** The class of every image, or -1 for 0..K-1 in turn. */
    public static final int EVERY_CLASS = -1;

    /** The reverse process: ancestral sampling (p_sample_loop) or DDIM (ddim_sample_loop). */
    public enum Kind {
        DDPM, DDIM;

        /** The name the CLI and the run config use: "ddpm", "ddim". */
        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** A name as the user typed it; anything else is refused naming the option. */
        public static Kind parse(String name) {
            String s = name == null ? "ddpm" : name.trim().toLowerCase(Locale.ROOT);
            for (Kind k : values()) if (k.cliName().equals(s)) return k;
            throw new InvalidConfigException("sampler", "must be ddpm or ddim, got '" + s + "'");
        }
    }

    /**
     * @param respacing "" for every step of the run's process, "50" for 50 evenly spaced, "ddim25", "10,15,20"
     * @param eta       DDIM's eta (0 = deterministic given x_T)
     * @param label     the class every image is asked to be, or {@link #EVERY_CLASS}; an unconditional model ignores it
     */
    public record Options(Kind sampler, String respacing, double eta, int count, long seed, boolean clipDenoised, int label) {
        public Options {
            if (sampler == null) sampler = Kind.DDPM;
            respacing = respacing == null ? "" : respacing.trim();
            if (count < 1) throw new InvalidConfigException("n", "must be positive, got " + count);
            if (!(eta >= 0) || Double.isInfinite(eta)) throw new InvalidConfigException("eta", "must be >= 0, got " + eta);
            if (eta != 0 && sampler == Kind.DDPM) throw new InvalidConfigException("eta", "applies to the ddim sampler only");
            if (label < EVERY_CLASS) throw new InvalidConfigException("class", "must be 0 or more, got " + label);
        }

        public Options(Kind sampler, String respacing, double eta, int count, long seed, boolean clipDenoised) {
            this(sampler, respacing, eta, count, seed, clipDenoised, EVERY_CLASS);
        }

        public Options withCount(int n) {
            return new Options(sampler, respacing, eta, n, seed, clipDenoised, label);
        }

        public Options withSeed(long s) {
            return new Options(sampler, respacing, eta, count, s, clipDenoised, label);
        }

        /** "ddim eta 0.0", "ddpm": for reports. */
        public String describe() {
            return sampler.cliName() + (sampler == Kind.DDIM ? " eta " + eta : "");
        }
    }

    /** The samples x_0 (float32 [N, C, H, W]), the classes asked for (null: unconditional) and the model calls per image. */
    public record Result(INDArray samples, long[] labels, int steps) {}

    /** The reverse process of a run's settings with the requested respacing; bad respacings name the option. */
    public static ReverseSampler sampler(DiffusionSettings settings, Options o) {
        GaussianDiffusion d;
        try {
            d = settings.build(o.respacing().isEmpty() ? settings.timestepRespacing() : o.respacing());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("respace", e.getMessage());
        }
        return o.sampler() == Kind.DDIM ? new DdimSampler(d, o.eta(), o.clipDenoised()) : new DdpmSampler(d, o.clipDenoised());
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

    /** The starting noise x_T that {@link #run} draws for {@code n} images from {@code seed} (float32). */
    public static INDArray noise(UNetModel model, int n, long seed) {
        return ReverseSampler.gaussian(new SplittableRandom(seed), shape(model, n), DataType.FLOAT);
    }

    /** Runs the whole reverse process from the seed's noise; {@code listener} (may be null) sees every step. */
    public static Result run(UNetModel model, DiffusionSettings settings, Options o, SamplingListener listener) {
        // x_T comes first from the seed's stream and the per-step noise continues it, as before the loops were merged
        SplittableRandom rng = new SplittableRandom(o.seed());
        INDArray xT = ReverseSampler.gaussian(rng, shape(model, o.count()), DataType.FLOAT);
        return from(model, settings, o, xT, 0, rng, listener);
    }

    /**
     * Runs the reverse process from a given x going into step {@code fromIndex} (x_T and 0 for a whole run;
     * a stored frame's x_t to fork from it); any further noise is fresh from {@code o.seed()}.
     */
    public static Result run(UNetModel model, DiffusionSettings settings, Options o, INDArray x, int fromIndex, SamplingListener listener) {
        if (x.size(0) != o.count()) throw new IllegalArgumentException(x.size(0) + " starting images for " + o.count() + " samples");
        return from(model, settings, o, x, fromIndex, new SplittableRandom(o.seed()), listener);
    }

    private static Result from(UNetModel model, DiffusionSettings settings, Options o, INDArray x, int fromIndex, SplittableRandom rng,
            SamplingListener listener) {
        ReverseSampler s = sampler(settings, o);
        long[] labels = labels(model, o.count(), o.label());
        INDArray y = labels == null ? null : Nd4j.createFromArray(labels);
        INDArray out = s.run(model::forward, x, fromIndex, y, rng, listener);
        return new Result(out, labels, s.diffusion().numTimesteps);
    }

    /**
     * Which of a run's {@code steps} model calls to keep as frames: all of them up to {@code maxFrames}
     * (at least 2), else that many evenly spaced, always with the first and the last (a 1000-step DDPM
     * run would otherwise hold 1000 grids). For the explorer's timeline and the CLI's progressive strip.
     */
    public static boolean[] keptFrames(int steps, int maxFrames) {
        boolean[] keep = new boolean[steps];
        if (steps <= maxFrames) {
            java.util.Arrays.fill(keep, true);
            return keep;
        }
        for (int i = 0; i < maxFrames; i++) keep[(int) Math.round(i * (steps - 1) / (double) (maxFrames - 1))] = true;
        return keep;
    }

    private static long[] shape(UNetModel model, int n) {
        int size = model.config().imageSize();
        return new long[] {n, model.config().inChannels(), size, size};
    }
}
