package org.diffusionexplorer.models;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.exec.PlanStore;

/**
 * The pretrained models shipped in assets/models (each a {@link ModelFolder}), so the explorer and
 * the CLI work with no training and no network. A name that is not bundled is read as a folder.
 */
public final class BundledModels {
    /** The digits model the explorer opens on. */
    public static final String DEFAULT = "digits";

    private BundledModels() {}

    public static Path root() {
        return Datasets.assetsDir().resolve("models");
    }

    public static Path dir(String name) {
        return root().resolve(name.strip().toLowerCase(Locale.ROOT));
    }

    /**
     * The execution-plan recordings shipped for the bundled models' default passes (assets/plans,
     * made by model/scripts/make-plan-recordings.sh): opening the default model then needs no SameDiff
     * recording before its first pass. Any model may use them; they only match the graph and shapes
     * they were recorded for.
     */
    public static PlanStore planStore() {
        Path dir;
        try {
            dir = Datasets.assetsDir().resolve("plans");
        } catch (RuntimeException e) {
            return PlanStore.NONE; // no assets: nothing shipped to read
        }
        return PlanStore.in(dir);
    }

    /**
     * Bundled model names (folders holding config.json and weights.npz), sorted. config.json is what
     * makes a diffusion model: assets/models/digit-classifier has weights but is not one.
     */
    public static List<String> names() {
        Path root = root();
        if (!Files.isDirectory(root)) return List.of();
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isRegularFile(p.resolve(ModelFolder.WEIGHTS)) && Files.isRegularFile(p.resolve(RunConfig.FILE)))
                    .map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** A bundled model by name, or any model folder by path. */
    public static RunWeights load(String nameOrDir) throws IOException {
        if (nameOrDir == null || nameOrDir.isBlank()) throw new RunException("no model given (bundled: " + names() + ")");
        if (names().contains(nameOrDir.strip().toLowerCase(Locale.ROOT))) return RunWeights.fromModelDir(dir(nameOrDir));
        Path p = Path.of(nameOrDir);
        if (Files.isDirectory(p)) return RunWeights.fromModelDir(p);
        throw new RunException("no bundled model or model folder '" + nameOrDir + "' (bundled: " + names() + ")");
    }
}
