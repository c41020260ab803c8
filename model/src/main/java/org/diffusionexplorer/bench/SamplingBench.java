package org.diffusionexplorer.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.diffusionexplorer.exec.OpProfile;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.sample.Sampling;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;

/**
 * {@code bench --sampling}: the time of {@link Sampling#run} with DDIM (eta 0) over {@code steps}
 * evenly spaced steps, as the Denoising pane and {@code sample} draw. One untimed run first (graph
 * building, native warm-up), then the median of {@code iters}; the last line is machine-readable.
 */
final class SamplingBench {
    private SamplingBench() {}

    static int run(String modelName, int n, int steps, int iters, boolean profile) throws IOException {
        if (n < 1) throw new InvalidConfigException("n", "must be positive, got " + n);
        if (steps < 1) throw new InvalidConfigException("steps", "must be positive, got " + steps);
        if (iters < 1) throw new InvalidConfigException("iters", "must be positive, got " + iters);
        NativeRuntime.configure();
        RunWeights w = BundledModels.load(modelName);
        Sampling.Options o = new Sampling.Options(Sampling.Kind.DDIM, Integer.toString(steps), 0, n, 1, true);
        System.out.printf(Locale.ROOT, "bench sampling: %s, %d images, DDIM %d steps (eta 0)%n", modelName, n, steps);
        System.out.println("native: " + NativeRuntime.describe() + "; load " + BenchCommand.load());
        List<Double> ms = new ArrayList<>();
        OpProfile prof = OpProfile.create();
        try (UNetModel model = w.newModel()) {
            for (int i = 0; i <= iters; i++) {
                if (profile && i > 0) prof.resume();
                long t0 = System.nanoTime();
                Sampling.run(model, w.config().diffusion(), o, null).samples().close();
                double took = (System.nanoTime() - t0) / 1e6;
                OpProfile.stop();
                if (i > 0) ms.add(took);
                System.out.printf(Locale.ROOT, "%s: %6.0f ms (%.1f ms a step), rss %s%n", i == 0 ? "warmup" : "run " + i, took,
                        took / steps, BenchCommand.rss());
            }
        }
        double med = BenchCommand.median(ms);
        if (profile) {
            double mean = ms.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            System.out.print(prof.table(String.format(Locale.ROOT, "one sampling step of %d images, mean %.0f ms", n, mean / steps),
                    iters * steps, mean / steps));
        }
        System.out.printf(Locale.ROOT, "median %.0f ms (min %.0f, max %.0f); load %s%n", med, Collections.min(ms),
                Collections.max(ms), BenchCommand.load());
        System.out.printf(Locale.ROOT, "sampling model=%s n=%d steps=%d sample_ms=%.0f%n", modelName, n, steps, med);
        return 0;
    }
}
