package org.diffusionexplorer.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.eval.Digits;
import org.diffusionexplorer.eval.VbTerms;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Issue 17 part 4: the variational bound term by term over t for real digits (the reference's
 * calc_bpd_loop, as image_nll.py runs it), written as CSV for a handout. With --shuffle-pixels the
 * same digits with their pixels shuffled: the control batch a model of digits finds far less likely.
 */
@Command(name = "vb-terms", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Where the model is unsure: for N real digits, the variational bound's term at every timestep in bits/dim, "
                + "the error of the predicted x_0 and of the implied epsilon, and the prior term (the reference's calc_bpd_loop, "
                + "averaged over the images). Writes a CSV with a row per timestep (t, vb_bpd, xstart_mse, eps_mse) ending with "
                + "a line '# ... total_bpd=<value>', printed on stdout too.",
                "--shuffle-pixels measures the same digits with every image's pixels in random order: the same values without "
                + "a digit's shape, which a model of digits should find much less likely (a higher total)."})
public final class VbTermsCommand implements Callable<Integer> {

    @Mixin
    WeightsChoice weights;

    @Option(names = "--data", defaultValue = "mnist-test", paramLabel = "mnist-test|mnist",
            description = "Real digits to measure (default ${DEFAULT-VALUE}: the 1000 held-out ones).")
    String data;

    @Option(names = "--n", defaultValue = "16", paramLabel = "N", description = "Number of images, a seeded subset of the split (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--steps", paramLabel = "S",
            description = "Measure a process respaced to S evenly spaced steps, for speed (default: every step of the model's process). "
                    + "The bound of a coarser process is a different, looser bound.")
    Integer steps;

    @Option(names = "--shuffle-pixels", description = "Shuffle each image's pixels first (the control batch).")
    boolean shuffle;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of the subset, the noise and the shuffle (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "vb.csv", description = "The CSV to write.")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (n < 1) throw new InvalidConfigException("--n", "must be positive, got " + n);
        if (steps != null && steps < 1) throw new InvalidConfigException("--steps", "must be positive, got " + steps);
        String split = data.trim().toLowerCase(Locale.ROOT);
        if (!split.equals("mnist") && !split.equals("mnist-test")) {
            throw new InvalidConfigException("--data", "must be mnist-test or mnist (the bundled digits), got '" + data + "'");
        }
        Path abs = out.toAbsolutePath();
        if (abs.getParent() != null && !java.nio.file.Files.isDirectory(abs.getParent())) {
            throw new InvalidConfigException("--out", "folder " + abs.getParent() + " does not exist");
        }
        RunWeights w = weights.load();
        GaussianDiffusion d = process(w, steps);
        int size = w.config().model().imageSize(), channels = w.config().model().inChannels();
        Digits digits = Digits.load(split, size, channels, n, seed);
        if (digits.size() < n) throw new InvalidConfigException("--n", split + " holds " + digits.size() + " images, asked for " + n);

        long t0 = System.nanoTime();
        VbTerms.Curves c;
        try (UNetModel model = w.newModel()) {
            ProgressBar bar = quiet ? null : new ProgressBar(System.err, "timestep", d.numTimesteps);
            c = VbTerms.measure(model, d, digits.images(), digits.labels(), shuffle, seed,
                    bar == null ? null : done -> bar.update(done, String.format(Locale.ROOT, "(%d images)", n)));
            if (bar != null) bar.finish();
        }
        String about = String.format(Locale.ROOT, "vb-terms of %s (%s, step %d) on %s in %.1f s:", w.source(), w.weightsName(), w.step(),
                split, (System.nanoTime() - t0) / 1e9);
        String csv = c.csv(about);
        ModelFiles.writeAtomically(out, o -> o.write(csv.getBytes(StandardCharsets.UTF_8)));
        System.out.println(c.summary(about) + " -> " + out);
        return 0;
    }

    /** The model's process, or the same respaced to S steps; S beyond the process's length names --steps. */
    static GaussianDiffusion process(RunWeights w, Integer steps) {
        GaussianDiffusion full = w.config().diffusion().build();
        if (steps == null) return full;
        if (steps > full.originalNumSteps) {
            throw new InvalidConfigException("--steps", "the model's process has " + full.originalNumSteps + " steps, asked for " + steps);
        }
        try {
            return w.config().diffusion().build(Integer.toString(steps));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("--steps", e.getMessage());
        }
    }
}
