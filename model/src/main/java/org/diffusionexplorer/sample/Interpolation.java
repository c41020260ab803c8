package org.diffusionexplorer.sample;

import org.diffusionexplorer.config.DiffusionSettings;
import org.diffusionexplorer.diffusion.SamplingListener;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Walks between two starting noises (the DDIM paper's interpolation, sec. 5.3): x_T of seed A and of
 * seed B are joined by spherical interpolation and every point goes through DDIM with eta 0, which is
 * deterministic given x_T, so the first and last images are exactly what {@code sample --sampler ddim
 * --n 1} draws from those seeds. Spherical, not linear: a straight line between two Gaussian draws
 * passes through vectors of smaller norm than any the model saw at t = T (its midpoint has about 1/sqrt 2
 * of the length), and those decode to washed-out images.
 */
public final class Interpolation {
    private Interpolation() {}

    /**
     * DDIM, eta 0, {@code respacing} ("" for every step), {@code n} images, the class rule of a one-image
     * {@code sample}: class {@code label} when given, else the first image's class (0); an unconditional
     * model ignores it.
     */
    public static Sampling.Options options(String respacing, int n, int label, boolean clipDenoised) {
        if (n < 2) throw new InvalidConfigException("n", "must be at least 2 (the two ends), got " + n);
        return new Sampling.Options(Sampling.Kind.DDIM, respacing, 0, n, 0, clipDenoised, Math.max(label, 0));
    }

    /**
     * Spherical interpolation of a and b (each [1, C, H, W]) at n evenly spaced points from a to b,
     * computed in float64: [n, C, H, W] in a's data type. At the ends sin((1 - 0) theta) / sin theta is
     * exactly 1 and sin 0 exactly 0, so rows 0 and n-1 are a and b bit for bit.
     */
    public static INDArray slerp(INDArray a, INDArray b, int n) {
        double[] va = a.dup('c').castTo(DataType.DOUBLE).data().asDouble(), vb = b.dup('c').castTo(DataType.DOUBLE).data().asDouble();
        if (va.length != vb.length) throw new IllegalArgumentException("noises of different sizes: " + va.length + ", " + vb.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < va.length; i++) {
            dot += va[i] * vb[i];
            na += va[i] * va[i];
            nb += vb[i] * vb[i];
        }
        double cos = Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
        double theta = Math.acos(cos), sin = Math.sin(theta);
        double[] out = new double[n * va.length];
        for (int k = 0; k < n; k++) {
            double alpha = k / (double) (n - 1);
            // parallel noises (theta ~ 0) have no plane to turn in: the line between them is the arc
            double ca = sin < 1e-12 ? 1 - alpha : Math.sin((1 - alpha) * theta) / sin;
            double cb = sin < 1e-12 ? alpha : Math.sin(alpha * theta) / sin;
            for (int i = 0; i < va.length; i++) out[k * va.length + i] = ca * va[i] + cb * vb[i];
        }
        long[] shape = a.shape().clone();
        shape[0] = n;
        INDArray d = Nd4j.create(out, shape, 'c');
        return a.dataType() == DataType.DOUBLE ? d : d.castTo(a.dataType());
    }

    /** The n images between seed A's and seed B's samples, one batch; {@code listener} (may be null) sees every step. */
    public static Sampling.Result run(UNetModel model, DiffusionSettings settings, Sampling.Options o, long seedA, long seedB,
            SamplingListener listener) {
        INDArray xT = slerp(Sampling.noise(model, 1, seedA), Sampling.noise(model, 1, seedB), o.count());
        return Sampling.run(model, settings, o, xT, 0, listener);
    }
}
