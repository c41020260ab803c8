package org.diffusionexplorer.app.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.train.RunConfig;
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
        if (classes > 0) tiny = RunConfig.fromJson(tiny.toJson().replace("\"class_cond\" : false", "\"class_cond\" : true")).withNumClasses(classes);
        RunConfig cfg = new RunConfig(tiny.model(), tiny.diffusion().withSteps(diffusionSteps, "cosine"), tiny.training(), tiny.data());
        Map<String, org.diffusionexplorer.io.NpyArray> weights;
        try (UNetModel m = UNetModel.create(cfg.model(), 7)) {
            weights = m.exportStateDict();
        }
        var meta = Checkpoint.newMeta(0);
        meta.set("config", cfg.toJsonNode());
        Path file = dir.resolve("tiny-" + diffusionSteps + (classes > 0 ? "-c" + classes : "") + ".ckpt.npz");
        new Checkpoint(meta, weights, Map.of(), Map.of()).write(file);
        return file;
    }
}
