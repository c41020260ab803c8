package org.diffusionexplorer.app.denoising;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.data.DatasetException;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.models.ModelFolder;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.train.RunOpening;

/**
 * The models the Denoising pane offers and reads: the bundled ones, files and folders the user
 * points at, and the training runs other panes offered through {@link AppContext#offerRun} (the
 * Training pane's run), each as a live source that reads the run's newest checkpoint at every sampling.
 */
final class DenoisingSources {
    private final List<Path> offeredRuns;
    /** One source per run, so the chooser recognises a run it already lists. */
    private final Map<Path, ModelSource.Live> live = new HashMap<>();

    DenoisingSources(List<Path> offeredRuns) {
        this.offeredRuns = offeredRuns;
    }

    /** The model the pane opens on: the bundled pretrained one. */
    ModelSource defaultSource() {
        return new ModelSource.Bundled(BundledModels.DEFAULT);
    }

    /** The sources to offer: bundled models, then the offered runs, oldest first (FX thread). */
    List<ModelSource> sources() {
        List<ModelSource> out = new ArrayList<>();
        for (String name : bundledNames()) out.add(new ModelSource.Bundled(name));
        if (out.isEmpty()) out.add(defaultSource()); // offered anyway: opening it then says what is missing
        for (Path run : offeredRuns) out.add(live.computeIfAbsent(run, DenoisingSources::liveRun));
        return out;
    }

    /** A training run's newest checkpoint (the EMA weights), asked again at every sampling: the model that trains in pane 4. */
    private static ModelSource.Live liveRun(Path runDir) {
        Path name = runDir.getFileName();
        return new ModelSource.Live("training run " + (name == null ? runDir : name) + " (newest checkpoint)", () -> {
            try {
                return RunOpening.newestWeights(runDir, null, w -> { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Slow: the weights a source holds now (a live source's newest). */
    static RunWeights weights(ModelSource s) throws IOException {
        if (s instanceof ModelSource.Bundled b) return bundled(b.name());
        if (s instanceof ModelSource.OnDisk d) return read(d.path());
        RunWeights w = ((ModelSource.Live) s).weights().get();
        if (w == null) throw new RunException(s.label() + " has no weights yet");
        return w;
    }

    /** The bundled models, or none when the assets folder cannot be found (the chooser then offers the default anyway). */
    private static List<String> bundledNames() {
        try {
            return BundledModels.names();
        } catch (DatasetException e) {
            return List.of();
        }
    }

    private static RunWeights bundled(String name) throws IOException {
        if (!bundledNames().contains(name)) {
            throw new RunException("the bundled model '" + name + "' is not in " + BundledModels.root()
                    + " (start the explorer from the project folder, or set -Ddiffusion.assets=/path/to/assets)");
        }
        return BundledModels.load(name);
    }

    /** Whatever the user points at: a checkpoint file, a run folder or a model folder. */
    private static RunWeights read(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            if (Files.isRegularFile(p.resolve(ModelFolder.WEIGHTS))) return RunWeights.fromModelDir(p);
            return RunOpening.newestWeights(p, null, warning -> System.err.println("[explorer] " + warning));
        }
        if (!Files.exists(p)) throw new RunException("no such file or folder: " + p);
        return RunWeights.fromCheckpoint(p, null);
    }
}
