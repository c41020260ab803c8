package org.diffusionexplorer.eval;

import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.ReverseSampler;
import org.diffusionexplorer.diffusion.VariationalBound;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * "Where the model is unsure" (issue 17): the variational bound of a batch of real images term by
 * term over t (the reference's calc_bpd_loop, averaged over the batch), shared by the vb-terms
 * command and the explorer's likelihood view. A control batch of the same images with their pixels
 * shuffled has the same pixel values but none of a digit's structure: a model that learned digits
 * gives it a far higher bound.
 */
public final class VbTerms {
    private VbTerms() {}

    /**
     * Batch means per timestep of the process, t ascending.
     *
     * @param t         the model's (original) timestep of each step of the possibly respaced process
     * @param vbBpd     the bound's term at that step in bits/dim (decoder NLL at the first step, KL after)
     * @param xstartMse mean squared error of the predicted x_0
     * @param epsMse    mean squared error of the epsilon implied by that prediction
     * @param priorBpd  KL(q(x_T | x_0) || N(0, I)) in bits/dim
     * @param totalBpd  the whole bound in bits/dim: the sum of vbBpd and priorBpd
     */
    public record Curves(int[] t, double[] vbBpd, double[] xstartMse, double[] epsMse, double priorBpd, double totalBpd,
                         int images, boolean shuffled) {

        /** One row per timestep (t, vb_bpd, xstart_mse, eps_mse), then one summary line that ends with total_bpd=. */
        public String csv(String about) {
            StringBuilder b = new StringBuilder("t,vb_bpd,xstart_mse,eps_mse\n");
            for (int i = 0; i < t.length; i++) {
                b.append(String.format(Locale.ROOT, "%d,%.9g,%.9g,%.9g%n", t[i], vbBpd[i], xstartMse[i], epsMse[i]));
            }
            return b.append(summary(about)).append('\n').toString();
        }

        /** "# about n=.. steps=.. shuffled=.. prior_bpd=.. total_bpd=..". */
        public String summary(String about) {
            return String.format(Locale.ROOT, "# %s n=%d steps=%d shuffled_pixels=%b prior_bpd=%.6g total_bpd=%.6f", about, images,
                    t.length, shuffled, priorBpd, totalBpd);
        }
    }

    /**
     * Runs calc_bpd_loop over {@code images} (float32 [N,C,H,W] in [-1, 1]) with noise from {@code seed}
     * (the same noise with or without shuffling, so the two batches differ only in their pixels' order).
     *
     * @param labels    one class per image for a class-conditional model, else null
     * @param afterStep hears the number of model calls done (may be null); throwing from it stops the run
     */
    public static Curves measure(UNetModel model, GaussianDiffusion d, INDArray images, int[] labels, boolean shuffle, long seed,
                                 IntConsumer afterStep) {
        INDArray x = shuffle ? shufflePixels(images, seed) : images;
        INDArray y = model.config().classConditional() ? Nd4j.createFromArray(labels).castTo(DataType.INT64) : null;
        SplittableRandom rng = new SplittableRandom(seed);
        long[] shape = x.shape();
        VariationalBound.Bpd b = VariationalBound.calcBpdLoop(d, model::forward, x, y, true,
                step -> ReverseSampler.gaussian(rng, shape, DataType.FLOAT), afterStep);
        int n = b.totalBpd().length, steps = d.numTimesteps;
        double[] vb = new double[steps], x0 = new double[steps], eps = new double[steps];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < steps; s++) {
                vb[s] += b.vb()[i][s] / n;
                x0[s] += b.xstartMse()[i][s] / n;
                eps[s] += b.mse()[i][s] / n;
            }
        }
        double prior = java.util.Arrays.stream(b.priorBpd()).average().orElse(0);
        double total = java.util.Arrays.stream(b.totalBpd()).average().orElse(0);
        return new Curves(d.timestepMap.clone(), vb, x0, eps, prior, total, n, shuffle);
    }

    /**
     * Every image with its own random order of its values (pixels and channels together), drawn from
     * {@code seed}: the same histogram of values, none of the spatial structure.
     */
    public static INDArray shufflePixels(INDArray images, long seed) {
        long[] shape = images.shape();
        int n = (int) shape[0];
        float[] v = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        int per = v.length / n;
        Random r = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < n; i++) {
            for (int k = per - 1; k > 0; k--) {
                int j = r.nextInt(k + 1);
                float tmp = v[i * per + k];
                v[i * per + k] = v[i * per + j];
                v[i * per + j] = tmp;
            }
        }
        return Nd4j.create(v, shape, 'c');
    }
}
