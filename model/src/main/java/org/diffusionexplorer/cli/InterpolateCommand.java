package org.diffusionexplorer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionexplorer.data.ImageGrid;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.sample.Interpolation;
import org.diffusionexplorer.sample.Sampling;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** A row of images between two seeds' samples: DDIM (eta 0) from spherically interpolated starting noise. */
@Command(name = "interpolate", mixinStandardHelpOptions = true,
        description = {"Interpolate between the starting noises of two seeds (spherically) and sample each point with DDIM, eta 0.",
            "Image 0 is what 'sample --sampler ddim --steps S --n 1 --seed A' draws, the last one the same with seed B."})
public final class InterpolateCommand implements Callable<Integer> {

    @Mixin
    WeightsChoice weights;

    @Option(names = "--seeds", required = true, paramLabel = "A,B", description = "The two seeds whose starting noise are the ends.")
    String seeds;

    @Option(names = "--n", defaultValue = "8", paramLabel = "N", description = "Images in the row, ends included (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--steps", paramLabel = "S", description = "DDIM steps: S evenly spaced steps of the run's process (default: every step).")
    Integer steps;

    @Option(names = "--class", paramLabel = "C", description = "Class for a class-conditional model (default: 0, the class 'sample --n 1' asks for).")
    Integer label;

    @Option(names = "--out", required = true, paramLabel = "strip.png", description = "PNG: the images in one row.")
    Path out;

    @Option(names = "--npy", paramLabel = "out.npy", description = "Also write the images as float32 [N, C, H, W] in [-1, 1].")
    Path npy;

    @Option(names = "--scale", paramLabel = "K", description = "Pixel size in the PNG (default: images shown at about 64 px).")
    Integer scale;

    @Override
    public Integer call() throws Exception {
        long[] ends = parseSeeds(seeds);
        if (n < 2) throw new InvalidConfigException("n", "must be at least 2 (the two ends), got " + n);
        if (n > 64) throw new InvalidConfigException("n", "at most 64 images in a row, got " + n);
        if (steps != null && steps < 1) throw new InvalidConfigException("steps", "must be positive, got " + steps);
        if (label != null && label < 0) throw new InvalidConfigException("class", "must be 0 or more, got " + label);
        if (scale != null && scale < 1) throw new InvalidConfigException("scale", "must be positive, got " + scale);
        RunWeights w = weights.load();
        Sampling.Options o = Interpolation.options(steps == null ? "" : Integer.toString(steps), n, label == null ? 0 : label, true);
        Sampling.sampler(w.config().diffusion(), o); // bad step counts fail before the model is built
        int px = scale != null ? scale : ImageGrid.defaultScale(w.config().model().imageSize());

        long t0 = System.nanoTime();
        Sampling.Result r;
        try (UNetModel model = w.newModel()) {
            Sampling.labels(model, 1, o.label()); // a class the model does not know is refused before sampling
            r = Interpolation.run(model, w.config().diffusion(), o, ends[0], ends[1], null);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        ImageGrid.writeRows(List.of(r.samples()), n, px, out);
        if (npy != null) Npy.write(npy, NpyArray.of(r.samples()));
        System.out.println(String.format(Locale.ROOT, "%d images from seed %d to seed %d of %s (%s, step %d), ddim eta 0, %d steps%s in %.1f s -> %s",
                n, ends[0], ends[1], w.source(), w.weightsName(), w.step(), r.steps(),
                r.labels() == null ? "" : ", class " + r.labels()[0], secs, out));
        return 0;
    }

    /** "A,B": two whole numbers. */
    static long[] parseSeeds(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length != 2) throw new InvalidConfigException("seeds", "give two seeds as A,B, got '" + text + "'");
        long[] out = new long[2];
        for (int i = 0; i < 2; i++) {
            try {
                out[i] = Long.parseLong(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new InvalidConfigException("seeds", "'" + parts[i].trim() + "' is not a whole number");
            }
        }
        return out;
    }
}
