package org.diffusionexplorer.app.denoising;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.diffusionexplorer.models.RunWeights;

/** Where the denoising pane gets its weights: a bundled model, a file or folder the user chose, or a live supplier. */
public sealed interface ModelSource {
    /** Shown in the model chooser. */
    String label();

    /** A pretrained model shipped in assets/models, by name ("digits"). */
    record Bundled(String name) implements ModelSource {
        @Override
        public String label() {
            return name + " (bundled, pretrained)";
        }
    }

    /** A checkpoint file, a run folder (its newest checkpoint) or a model folder (config.json + weights.npz). */
    record OnDisk(Path path) implements ModelSource {
        @Override
        public String label() {
            Path name = path.getFileName();
            return (name == null ? path : name).toString();
        }
    }

    /**
     * Weights that change while the app runs (the Training pane's model): asked again at every
     * sampling, so each run uses the newest weights.
     */
    record Live(String label, Supplier<RunWeights> weights) implements ModelSource {
    }
}
