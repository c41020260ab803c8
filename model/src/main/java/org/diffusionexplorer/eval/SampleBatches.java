package org.diffusionexplorer.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.diffusionexplorer.config.DiffusionSettings;
import org.diffusionexplorer.sample.Sampling;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Draws many samples in batches (1000 images do not fit one forward pass). The first batch uses the
 * seed itself, so it holds exactly the images {@code sample --n B --seed S} draws; later batches use
 * seeds drawn from it, so every (seed, batch) gives the same images on every run.
 */
public final class SampleBatches {
    private SampleBatches() {}

    /** Called after every reverse step of every batch: steps done so far, of the total. */
    @FunctionalInterface
    public interface Progress {
        void onStep(long done, long total);
    }

    /** The images, and the class each was asked for (null for an unconditional model). */
    public record Drawn(INDArray images, long[] labels) {}

    /**
     * @param o the sampler settings; its count and seed are ignored in favour of {@code n}, {@code batch}, {@code seed}
     * @return float32 [n, C, H, W] in [-1, 1], with the requested classes of a class-conditional model
     */
    public static Drawn generate(UNetModel model, DiffusionSettings settings, Sampling.Options o, int n, int batch, long seed,
            Progress progress) {
        int batches = (n + batch - 1) / batch;
        long stepsPerBatch = Sampling.sampler(settings, o).diffusion().numTimesteps;
        long total = stepsPerBatch * batches;
        SplittableRandom seeds = new SplittableRandom(seed);
        List<INDArray> parts = new ArrayList<>();
        long[] labels = model.config().numClasses() > 0 ? new long[n] : null;
        long[] done = {0};
        for (int k = 0; k < batches; k++) {
            int count = Math.min(batch, n - k * batch);
            long s = k == 0 ? seed : seeds.nextLong();
            Sampling.Options ok = o.withCount(count).withSeed(s);
            Sampling.Result r = Sampling.run(model, settings, ok, step -> {
                done[0]++;
                if (progress != null) progress.onStep(done[0], total);
            });
            parts.add(r.samples().dup('c'));
            if (labels != null) System.arraycopy(r.labels(), 0, labels, k * batch, count);
        }
        return new Drawn(parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0])), labels);
    }
}
