package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.diffusionexplorer.train.RunWeights;

/**
 * The denoising pane's view of the model side: open a model, run a reverse process on it and hand
 * out frames as plain images. Calls marked "slow" must run on a background task.
 */
public interface DenoisingFacade {
    /** Frames kept per run at most; longer runs keep this many evenly spaced steps. */
    int MAX_FRAMES = 200;

    /** The model the pane opens on: the bundled pretrained one. */
    ModelSource defaultSource();

    /** The sources to offer: bundled models, then the live ones registered by {@link #useWeights}. */
    List<ModelSource> sources();

    /**
     * A hook for the Training pane: offers weights that change while training runs; the supplier is
     * asked again at every sampling, so each run uses the newest weights.
     */
    void useWeights(String label, Supplier<RunWeights> weights);

    /** Offers a training run's newest checkpoint (the EMA weights) as a live source: the model that trains in pane 4. */
    default void useRun(Path runDir) {
        Path name = runDir.getFileName();
        useWeights("training run " + (name == null ? runDir : name) + " (newest checkpoint)", () -> {
            try {
                return RunWeights.fromRun(runDir, null, w -> { });
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Slow: reads the weights and builds the UNet; replaces the open model only when this succeeds. */
    DenoiserInfo open(ModelSource source) throws IOException;

    /** Receives a run's results on the sampling thread. */
    interface Sink {
        /** A kept frame, as soon as it is computed; the last one is the finished samples. */
        void frame(DenoiseFrame frame);

        /** After every model call. */
        void progress(int done, int total);
    }

    /**
     * Slow: runs the request on the open model. Checks {@code stop} before every model call and
     * returns false when it stopped early, true when the samples are finished.
     */
    boolean sample(DenoisingRequest request, Sink sink, BooleanSupplier stop);
}
