package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.diffusionexplorer.train.RunException;
import org.diffusionexplorer.train.RunWeights;

/** Reads weights from whatever the user points at: a checkpoint file, a run folder or a model folder. */
final class ModelFiles {
    static final String DEFAULT_BUNDLED = "digits";

    private ModelFiles() {
    }

    static List<String> bundledNames() {
        return List.of(); // TODO after merging main: BundledModels.names()
    }

    static RunWeights bundled(String name) throws IOException {
        throw new RunException("the bundled model '" + name + "' is not installed");
    }

    static RunWeights read(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            return RunWeights.fromRun(p, null, warning -> System.err.println("[explorer] " + warning));
        }
        if (!Files.exists(p)) throw new RunException("no such file or folder: " + p);
        return RunWeights.fromCheckpoint(p, null);
    }
}
