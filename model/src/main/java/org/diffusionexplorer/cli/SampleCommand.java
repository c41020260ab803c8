package org.diffusionexplorer.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionexplorer.data.ImageGrid;
import org.diffusionexplorer.diffusion.SamplingStep;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.sample.Sampling;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** image_sample.py for a run or checkpoint: a PNG grid, optionally the raw arrays and the progressive frames. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Generate images from a run's newest checkpoint (EMA weights by default), a checkpoint file or a bundled model.")
public final class SampleCommand implements Callable<Integer> {

    @Mixin
    WeightsChoice weights;

    @Option(names = "--sampler", defaultValue = "ddpm", paramLabel = "ddpm|ddim", description = "Reverse process (default ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--steps", paramLabel = "N", description = "Use N evenly spaced steps of the run's process.")
    Integer steps;

    @Option(names = "--respace", paramLabel = "S", description = "Respacing as the reference writes it: \"50\", \"10,15,20\", \"ddim25\".")
    String respace;

    @Option(names = "--eta", defaultValue = "0", paramLabel = "E", description = "DDIM eta (default ${DEFAULT-VALUE}: deterministic).")
    double eta;

    @Option(names = "--n", defaultValue = "16", paramLabel = "N", description = "Number of images (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--class", paramLabel = "C",
            description = "Ask a class-conditional model for class C in every image (default: 0, 1, 2, ... in turn).")
    Integer label;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of all noise (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "grid.png", description = "PNG grid of the samples.")
    Path out;

    @Option(names = "--npy", paramLabel = "out.npy", description = "Also write the samples as float32 [N, C, H, W] in [-1, 1].")
    Path npy;

    @Option(names = "--progressive", paramLabel = "strip.png",
            description = "Also write the frames: per image (at most 4) a row of x_t and a row of predicted x_0.")
    Path progressive;

    @Option(names = "--frames", defaultValue = "10", paramLabel = "K", description = "Frames in the progressive strip (default ${DEFAULT-VALUE}).")
    int frames;

    @Option(names = "--scale", paramLabel = "K", description = "Pixel size in the PNGs (default: images shown at about 64 px).")
    Integer scale;

    @Option(names = "--no-clip", description = "Do not clip predicted x_0 to [-1, 1] (the reference's clip_denoised=False).")
    boolean noClip;

    @Override
    public Integer call() throws Exception {
        if (steps != null && respace != null) throw new InvalidConfigException("steps", "give --steps or --respace, not both");
        if (steps != null && steps < 1) throw new InvalidConfigException("steps", "must be positive, got " + steps);
        if (frames < 2) throw new InvalidConfigException("frames", "must be at least 2, got " + frames);
        RunWeights w = weights.load();
        String spacing = steps != null ? Integer.toString(steps) : respace;
        if (label != null && label < 0) throw new InvalidConfigException("class", "must be 0 or more, got " + label);
        Sampling.Options o = new Sampling.Options(Sampling.Kind.parse(sampler), spacing, eta, n, seed, !noClip,
                label == null ? Sampling.EVERY_CLASS : label);
        Sampling.sampler(w.config().diffusion(), o); // bad respacings fail before the model is built
        int px = scale != null ? scale : ImageGrid.defaultScale(w.config().model().imageSize());
        if (px < 1) throw new InvalidConfigException("scale", "must be positive, got " + px);

        List<SamplingStep> kept = new ArrayList<>();
        long t0 = System.nanoTime();
        Sampling.Result r;
        try (UNetModel model = w.newModel()) {
            boolean[] keep = progressive == null ? null : Sampling.keptFrames(Sampling.sampler(w.config().diffusion(), o).diffusion().numTimesteps, frames);
            r = Sampling.run(model, w.config().diffusion(), o, s -> {
                if (keep != null && keep[s.index()]) kept.add(s);
            });
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ImageGrid.write(r.samples(), px, out);
        if (npy != null) Npy.write(npy, NpyArray.of(r.samples()));
        if (progressive != null) writeProgressive(kept, px);
        System.out.println(String.format(Locale.ROOT, "%d samples of %s (%s, step %d) with %s, %d steps, seed %d in %.1f s -> %s", n,
                w.source(), w.weightsName(), w.step(), o.describe(), r.steps(),
                seed, secs, out));
        return 0;
    }

    /** Rows: for each of the first images, x_t then predicted x_0 across the kept frames. */
    private void writeProgressive(List<SamplingStep> kept, int px) throws java.io.IOException {
        int images = Math.min(4, n);
        List<INDArray> rows = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            List<INDArray> xs = new ArrayList<>(), x0s = new ArrayList<>();
            for (SamplingStep s : kept) {
                xs.add(s.x().get(NDArrayIndex.interval(i, i + 1)));
                x0s.add(s.predXstart().get(NDArrayIndex.interval(i, i + 1)));
            }
            rows.add(Nd4j.concat(0, xs.toArray(new INDArray[0])));
            rows.add(Nd4j.concat(0, x0s.toArray(new INDArray[0])));
        }
        ImageGrid.writeRows(rows, kept.size(), px, progressive);
    }
}
