package org.diffusionexplorer.app.denoising;

import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.runtime.NativeRuntime;

/**
 * Opens the default bundled model and runs it once, on a thread of its own started by the first
 * lines of {@code main}, so that ND4J's start-up, the UNet's graph and its first execution plan are
 * made while JavaFX builds the window (on the other core) instead of after it. The Denoising pane is
 * given the returned model: its own first open finds the model open ({@link DenoisingModel} keeps an
 * open bundled model) or waits on the model's lock until the preload is done, and a failure here is
 * left for that open to report.
 *
 * <p>A plain thread, not a {@code javafx.concurrent.Service}: it starts before the JavaFX toolkit
 * exists and publishes nothing. {@code -Ddiffusion.preload=false} turns it off.
 */
public final class ModelPreload {
    private ModelPreload() {
    }

    /** A Denoising pane's model, its preload started unless {@code -Ddiffusion.preload=false}. */
    public static DenoisingModel start() {
        DenoisingModel model = new DenoisingModel();
        if (!enabled()) return model;
        Thread t = new Thread(() -> {
            try {
                NativeRuntime.configure(); // done by main already (see there why); a no-op then
                model.open(new ModelSource.Bundled(BundledModels.DEFAULT));
                model.warmUp(DenoisingRequest.DEFAULT_COUNT);
            } catch (Exception | LinkageError e) {
                // reported by the pane's own open when it is shown
            }
        }, "model-preload");
        t.setDaemon(true);
        t.start();
        return model;
    }

    /** Whether preloads are on ({@code -Ddiffusion.preload=false} turns them off). */
    public static boolean enabled() {
        return !"false".equals(System.getProperty("diffusion.preload"));
    }
}
