package org.diffusionexplorer.app.denoising;

import org.diffusionexplorer.sample.Sampling;

/**
 * One sampling run as the user set it up.
 *
 * @param steps steps of the respaced process (ignored for {@link Sampler#DDPM_FULL})
 * @param eta   DDIM's eta: 0 is deterministic given the noise, 1 adds DDPM-like noise at each step
 * @param label the class every image is asked to be, or {@link #EVERY_CLASS} for 0, 1, 2, ... in turn
 *              (an unconditional model ignores it)
 */
public record DenoisingRequest(Sampler sampler, int steps, double eta, long seed, int count, int label) {
    public static final int MAX_COUNT = 16;
    /** Images the pane asks for until the user says otherwise. */
    public static final int DEFAULT_COUNT = 9;
    public static final int EVERY_CLASS = -1;

    /** A request that asks a class-conditional model for its classes in turn. */
    public DenoisingRequest(Sampler sampler, int steps, double eta, long seed, int count) {
        this(sampler, steps, eta, seed, count, EVERY_CLASS);
    }

    public enum Sampler {
        DDPM_FULL("DDPM, every step", Sampling.Kind.DDPM), DDPM_RESPACED("DDPM, respaced", Sampling.Kind.DDPM),
        DDIM("DDIM", Sampling.Kind.DDIM);

        private final String label;
        private final Sampling.Kind kind;

        Sampler(String label, Sampling.Kind kind) {
            this.label = label;
            this.kind = kind;
        }

        /** The model's reverse process behind this choice (the pane's choices add only the respacing). */
        public Sampling.Kind kind() {
            return kind;
        }

        @Override
        public String toString() {
            return label;
        }
    }

    public DenoisingRequest {
        if (sampler == null) throw new IllegalArgumentException("no sampler chosen");
        if (sampler != Sampler.DDPM_FULL && steps < 1) throw new IllegalArgumentException("steps must be at least 1, got " + steps);
        if (count < 1 || count > MAX_COUNT) throw new IllegalArgumentException("images must be 1.." + MAX_COUNT + ", got " + count);
        if (label < EVERY_CLASS) throw new IllegalArgumentException("no class " + label);
        if (!(eta >= 0 && eta <= 1)) throw new IllegalArgumentException("eta must be in 0..1, got " + eta);
        if (sampler != Sampler.DDIM) eta = 0; // only DDIM has an eta
    }

    /** The model module's options for this request: the clipped x_0 of the reference's sampling script. */
    public Sampling.Options options() {
        return new Sampling.Options(sampler.kind(), respacing(), eta, count, seed, true, label);
    }

    /** "DDPM, 1000 steps", "DDIM 50 steps, eta 0.5": for captions. */
    public String describe(int fullSteps) {
        int n = sampler == Sampler.DDPM_FULL ? fullSteps : steps;
        return (sampler == Sampler.DDIM ? "DDIM" : "DDPM") + ", " + n + " steps" + (sampler == Sampler.DDIM && eta > 0 ? ", eta " + eta : "");
    }

    /** The respacing as the reference writes it: "" for every step, else the step count. */
    public String respacing() {
        return sampler == Sampler.DDPM_FULL ? "" : Integer.toString(steps);
    }
}
