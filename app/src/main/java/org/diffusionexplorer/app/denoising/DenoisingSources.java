package org.diffusionexplorer.app.denoising;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.train.RunOpening;

/**
 * The models the Denoising pane offers: the bundled ones, and the training runs other panes
 * offered through {@link AppContext#offerRun} (the Training pane's run), each as a live source
 * that reads the run's newest checkpoint at every sampling.
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
        return new ModelSource.Bundled(ModelFiles.DEFAULT_BUNDLED);
    }

    /** The sources to offer: bundled models, then the offered runs, oldest first (FX thread). */
    List<ModelSource> sources() {
        List<ModelSource> out = new ArrayList<>();
        for (String name : ModelFiles.bundledNames()) out.add(new ModelSource.Bundled(name));
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
        if (s instanceof ModelSource.Bundled b) return ModelFiles.bundled(b.name());
        if (s instanceof ModelSource.OnDisk d) return ModelFiles.read(d.path());
        RunWeights w = ((ModelSource.Live) s).weights().get();
        if (w == null) throw new RunException(s.label() + " has no weights yet");
        return w;
    }
}
