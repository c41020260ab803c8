package org.diffusionexplorer.app.denoising;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.data.DatasetException;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.models.ModelFolder;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.train.RunOpening;

/** Reads weights from whatever the user points at: a checkpoint file, a run folder or a model folder. */
final class ModelFiles {
    static final String DEFAULT_BUNDLED = BundledModels.DEFAULT;

    private ModelFiles() {
    }

    /** The bundled models, or none when the assets folder cannot be found (the chooser then offers the default anyway). */
    static List<String> bundledNames() {
        try {
            return BundledModels.names();
        } catch (DatasetException e) {
            return List.of();
        }
    }

    static RunWeights bundled(String name) throws IOException {
        if (!bundledNames().contains(name)) {
            throw new RunException("the bundled model '" + name + "' is not in " + BundledModels.root()
                    + " (start the explorer from the project folder, or set -Ddiffusion.assets=/path/to/assets)");
        }
        return BundledModels.load(name);
    }

    static RunWeights read(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve(ModelFolder.WEIGHTS))) return RunWeights.fromModelDir(p);
            return RunOpening.newestWeights(p, null, warning -> System.err.println("[explorer] " + warning));
        }
        if (!Files.exists(p)) throw new RunException("no such file or folder: " + p);
        return RunWeights.fromCheckpoint(p, null);
    }
}
