package org.diffusionexplorer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusionexplorer.exec.OpProfile;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.train.AdamW;
import org.diffusionexplorer.train.Trainer;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.diffusionexplorer.unet.UNetPresets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times a forward pass and a training step (forward, backward with epsilon-MSE, AdamW) of a preset
 * UNet on random data. Forward and training runs alternate, so a change in machine load hits both.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Median time of a UNet forward pass and of one training step (forward, backward, AdamW) after warm-up,",
            "and the achieved GFLOP/s (convolutions, linear layers and attention products counted; training = 3x forward).",
            "With --sampling: median time of DDIM sampling (eta 0) with a bundled model."})
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--preset", description = "A or B (see UNetPresets); the training bench")
    String preset;

    @Option(names = "--sampling", description = "Time DDIM sampling (eta 0) instead: one warm-up run, then the median of --iters (default 3).")
    boolean sampling;

    @Option(names = "--model", defaultValue = "digits", description = "With --sampling: a bundled model or a model folder (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--n", defaultValue = "16", description = "With --sampling: images per run (default ${DEFAULT-VALUE}).")
    int n;

    @Option(names = "--steps", defaultValue = "50", description = "With --sampling: DDIM steps, evenly spaced (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--batch", defaultValue = "32", description = "Batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--iters", description = "Timed iterations of each kind (default 10; with --sampling 3).")
    Integer iters;

    @Option(names = "--profile", description = "Also print where the time goes, by op kind (execution plans only).")
    boolean profile;

    @Option(names = "--warmup", defaultValue = "2", description = "Untimed iterations first (default ${DEFAULT-VALUE}).")
    int warmup;

    @Override
    public Integer call() throws IOException {
        if (sampling) return SamplingBench.run(model, n, steps, iters == null ? 3 : iters, profile);
        if (preset == null) throw new InvalidConfigException("preset", "give --preset A|B, or --sampling");
        int iters = this.iters == null ? 10 : this.iters;
        if (batch < 1 || iters < 1 || warmup < 0) throw new IllegalArgumentException("--batch and --iters must be >= 1");
        NativeRuntime.configure();
        UNetConfig cfg = UNetPresets.byName(preset);
        String name = preset.toUpperCase(Locale.ROOT);
        double fwdFlops = FlopCount.forward(cfg, batch), trainFlops = FlopCount.trainStep(cfg, batch);
        System.out.printf(Locale.ROOT, "bench preset %s batch %d: %,d parameters, %.2f GFLOP forward, %.2f GFLOP train step%n",
                name, batch, UNetModel.parameterSpecs(cfg).stream().mapToLong(p -> p.numel()).sum(), fwdFlops / 1e9, trainFlops / 1e9);
        System.out.println("native: " + NativeRuntime.describe() + "; load " + load());

        try (UNetModel model = UNetModel.create(cfg, 0)) {
            Trainer.addMseLoss(model.graph(), model.output(), "target");
            Trainer trainer = new Trainer(model.graph(), "loss", new AdamW(model.stateDict(), 1e-4), List.of(),
                    Trainer.Accumulation.SUM);
            Nd4j.getRandom().setSeed(1234);
            INDArray x = Nd4j.randn(DataType.FLOAT, batch, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
            INDArray t = Nd4j.rand(DataType.FLOAT, batch).muli(1000);
            Nd4j.getExecutioner().exec(new org.nd4j.linalg.api.ops.impl.transforms.same.Floor(t));
            INDArray eps = Nd4j.randn(DataType.FLOAT, batch, cfg.outChannels(), cfg.imageSize(), cfg.imageSize());
            Map<String, INDArray> ph = new java.util.HashMap<>(model.placeholders(x, t, null));
            ph.put("target", eps);
            java.util.SplittableRandom masks = new java.util.SplittableRandom(1234);

            List<Double> fwd = new ArrayList<>(), step = new ArrayList<>();
            OpProfile fwdProfile = OpProfile.create(), stepProfile = OpProfile.create();
            for (int i = 0; i < warmup + iters; i++) {
                boolean timed = i >= warmup;
                if (profile && timed) fwdProfile.resume();
                long t0 = System.nanoTime();
                INDArray out = model.forward(x, t, null);
                long t1 = System.nanoTime();
                OpProfile.stop();
                out.close();
                if (profile && timed) stepProfile.resume();
                long t2 = System.nanoTime();
                // fresh dropout masks per step as in training (none for presets without dropout)
                Trainer.StepResult r = trainer.step(ph, 0, rows -> model.dropoutMasks(rows, masks));
                long t3 = System.nanoTime();
                OpProfile.stop();
                if (timed) {
                    fwd.add((t1 - t0) / 1e6);
                    step.add((t3 - t2) / 1e6);
                }
                System.out.printf(Locale.ROOT, "%s %2d: forward %7.0f ms, train step %7.0f ms, loss %.4f, grad norm %.3f, rss %s, gcs %d%n",
                        timed ? "iter  " : "warmup", timed ? i - warmup : i, (t1 - t0) / 1e6, (t3 - t2) / 1e6, r.loss(),
                        r.gradNorm(), rss(), trainer.gcCount());
            }
            double f = median(fwd), s = median(step);
            System.out.println("gradients by: " + trainer.executor());
            if (profile) {
                double meanF = fwd.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double meanS = step.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                System.out.print(fwdProfile.table("forward pass, mean " + Math.round(meanF) + " ms", iters, meanF));
                System.out.print(stepProfile.table("training step, mean " + Math.round(meanS) + " ms", iters, meanS));
            }
            System.out.printf(Locale.ROOT, "forward: median %.0f ms (min %.0f, max %.0f), %.1f GFLOP/s%n",
                    f, Collections.min(fwd), Collections.max(fwd), fwdFlops / f / 1e6);
            System.out.printf(Locale.ROOT, "train step: median %.0f ms (min %.0f, max %.0f); load %s%n",
                    s, Collections.min(step), Collections.max(step), load());
            System.out.printf(Locale.ROOT, "preset=%s batch=%d forward_ms=%.0f train_step_ms=%.0f train_gflops=%.1f%n",
                    name, batch, f, s, trainFlops / s / 1e6);
        }
        return 0;
    }

    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** Resident memory of this process (Linux), or "?". */
    static String rss() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("VmRSS:")) return (Long.parseLong(l.replaceAll("\\D", "")) >> 10) + " MB";
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "?";
    }

    static String load() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }
}
