package org.diffusionexplorer.app.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.unet.UNetModel;

/** An untrained tiny model (8x8 grey) saved as a checkpoint at test time, so sampling tests take seconds. */
final class TinyModel {
    private TinyModel() {
    }

    /** A checkpoint of the tiny preset with a cosine process of {@code diffusionSteps} steps. */
    static Path checkpoint(Path dir, int diffusionSteps) throws IOException {
        return checkpoint(dir, diffusionSteps, 0);
    }

    /** The same, class-conditional with {@code classes} classes (0: unconditional). */
    static Path checkpoint(Path dir, int diffusionSteps, int classes) throws IOException {
        RunConfig tiny = RunConfig.tiny();
        if (classes > 0) tiny = tiny.classConditional(classes);
        RunConfig cfg = new RunConfig(tiny.model(), tiny.diffusion().withSteps(diffusionSteps, "cosine"), tiny.training(), tiny.data());
        Map<String, org.diffusionexplorer.io.NpyArray> weights;
        try (UNetModel m = UNetModel.create(cfg.model(), 7)) {
            weights = m.exportStateDict();
        }
        // The reference zero-initialises every block's last conv and the output conv, so a fresh model outputs 0
        // whatever its class: a conditional test model gets random weights everywhere so the class shows.
        if (classes > 0) weights = randomised(weights);
        var meta = Checkpoint.newMeta(0);
        meta.set("config", cfg.toJsonNode());
        Path file = dir.resolve("tiny-" + diffusionSteps + (classes > 0 ? "-c" + classes : "") + ".ckpt.npz");
        new Checkpoint(meta, weights, Map.of(), Map.of()).write(file);
        return file;
    }

    private static Map<String, org.diffusionexplorer.io.NpyArray> randomised(Map<String, org.diffusionexplorer.io.NpyArray> w) {
        java.util.Random r = new java.util.Random(11);
        Map<String, org.diffusionexplorer.io.NpyArray> out = new java.util.TreeMap<>();
        for (var e : new java.util.TreeMap<>(w).entrySet()) {
            long[] shape = e.getValue().shape();
            float[] v = new float[Math.toIntExact(java.util.Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
            for (int i = 0; i < v.length; i++) v[i] = (float) (0.3 * r.nextGaussian());
            out.put(e.getKey(), org.diffusionexplorer.io.NpyArray.of(v, shape));
        }
        return out;
    }
}
