package org.diffusionexplorer.app.likelihood;

import java.io.IOException;
import java.util.concurrent.CancellationException;
import java.util.function.BooleanSupplier;
import java.util.function.IntConsumer;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.eval.Digits;
import org.diffusionexplorer.eval.VbTerms;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.unet.UNetModel;

/**
 * The likelihood view's model side: the bundled digits model measured by {@link VbTerms} on real
 * held-out digits and on the same digits with shuffled pixels, exactly as {@code vb-terms} does it
 * (same subset, noise and shuffle for the same seed). The model is built once and kept; calls are
 * slow and belong on a background task.
 */
public final class VbTermsJob {
    /** Most images the view offers: mnist-test holds 1000. */
    static final int MAX_IMAGES = 1000;
    static final String DATA = "mnist-test";

    /** Both batches' curves. */
    public record Result(VbTerms.Curves real, VbTerms.Curves shuffled, String model) {}

    private RunWeights weights;
    private UNetModel model;

    /** The original process's number of steps (loads the weights' config the first time). */
    synchronized int processSteps() throws IOException {
        return open().config().diffusion().diffusionSteps();
    }

    private RunWeights open() throws IOException {
        if (weights == null) weights = BundledModels.load(BundledModels.DEFAULT);
        return weights;
    }

    /**
     * Measures {@code n} digits and their shuffled control over a process respaced to {@code steps};
     * {@code progress} hears model calls done of 2 * steps; a true {@code cancelled} stops the run
     * after the current model call with a CancellationException.
     */
    synchronized Result run(int n, int steps, long seed, BooleanSupplier cancelled, IntConsumer progress) throws IOException {
        RunWeights w = open();
        if (model == null) model = w.newModel();
        GaussianDiffusion d = w.config().diffusion().build(Integer.toString(steps));
        int size = w.config().model().imageSize(), channels = w.config().model().inChannels();
        Digits digits = Digits.load(DATA, size, channels, n, seed);
        VbTerms.Curves real = VbTerms.measure(model, d, digits.images(), digits.labels(), false, seed, done -> {
            if (cancelled.getAsBoolean()) throw new CancellationException();
            progress.accept(done);
        });
        VbTerms.Curves shuffled = VbTerms.measure(model, d, digits.images(), digits.labels(), true, seed, done -> {
            if (cancelled.getAsBoolean()) throw new CancellationException();
            progress.accept(steps + done);
        });
        return new Result(real, shuffled, BundledModels.DEFAULT + " (" + w.weightsName() + ", step " + w.step() + ")");
    }
}
