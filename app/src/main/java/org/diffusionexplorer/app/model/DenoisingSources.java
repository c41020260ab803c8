package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.train.RunOpening;

/**
 * The models the Denoising pane offers: the bundled ones, and the live weights other panes register
 * (the Training pane's run). Shared by both panes, so it lives here; the sampling itself is the
 * Denoising pane's own (its DenoisingModel).
 */
public final class DenoisingSources {
    private final List<ModelSource> live = new CopyOnWriteArrayList<>();

    /** The model the pane opens on: the bundled pretrained one. */
    public ModelSource defaultSource() {
        return new ModelSource.Bundled(ModelFiles.DEFAULT_BUNDLED);
    }

    /** The sources to offer: bundled models, then the live ones registered by {@link #useWeights}. */
    public List<ModelSource> sources() {
        List<ModelSource> out = new ArrayList<>();
        for (String name : ModelFiles.bundledNames()) out.add(new ModelSource.Bundled(name));
        if (out.isEmpty()) out.add(defaultSource()); // offered anyway: opening it then says what is missing
        out.addAll(live);
        return out;
    }

    /**
     * A hook for the Training pane: offers weights that change while training runs; the supplier is
     * asked again at every sampling, so each run uses the newest weights.
     */
    public void useWeights(String label, Supplier<RunWeights> weights) {
        live.removeIf(s -> s.label().equals(label));
        live.add(new ModelSource.Live(label, weights));
    }

    /** Offers a training run's newest checkpoint (the EMA weights) as a live source: the model that trains in pane 4. */
    public void useRun(Path runDir) {
        Path name = runDir.getFileName();
        useWeights("training run " + (name == null ? runDir : name) + " (newest checkpoint)", () -> {
            try {
                return RunOpening.newestWeights(runDir, null, w -> { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Slow: the weights a source holds now (a live source's newest). */
    public static RunWeights weights(ModelSource s) throws IOException {
        if (s instanceof ModelSource.Bundled b) return ModelFiles.bundled(b.name());
        if (s instanceof ModelSource.OnDisk d) return ModelFiles.read(d.path());
        RunWeights w = ((ModelSource.Live) s).weights().get();
        if (w == null) throw new RunException(s.label() + " has no weights yet");
        return w;
    }
}
