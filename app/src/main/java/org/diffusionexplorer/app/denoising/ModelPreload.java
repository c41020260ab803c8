package org.diffusionexplorer.app.denoising;

import org.diffusionexplorer.app.shell.StartupLog;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.runtime.NativeRuntime;

/**
 * Opens the default bundled model and runs it once, on a thread of its own started by the first
 * lines of {@code main}, so that the UNet's graph and its first execution plan are made while JavaFX
 * builds the window (on the other core) instead of after it. The Denoising pane is given the returned
 * model: its own first open finds the model open ({@link DenoisingModel} keeps an open bundled model)
 * or waits on the model's lock until the preload is done, and a failure here is left for that open
 * to report.
 *
 * <p>A plain thread, not a {@code javafx.concurrent.Service}: it starts before the JavaFX toolkit
 * exists and publishes nothing. {@code -Ddiffusion.preload=false} turns it off.
 */
public final class ModelPreload {
    private ModelPreload() {
    }

    /**
     * A Denoising pane's model, its preload started unless {@code -Ddiffusion.preload=false}. Loads
     * ND4J's natives first, on the caller's thread (half a second, once per process): not on the
     * preload thread, because JavaCPP resolves symbols from inside dl_iterate_phdr and calls dlopen
     * there, which deadlocks against a dlopen on another thread (glibc's loader locks taken in opposite
     * orders). Loaded on the preload thread beside JavaFX's start, 2 of 7 launches hung for good (gdb:
     * the JavaFX thread in dlopen of libjavafx_font.so, the preload thread in dlopen of libffi from
     * JavaCPP's Loader.addressof); loaded here, 15 of 15 started.
     */
    public static DenoisingModel start() {
        NativeRuntime.configure();
        DenoisingModel model = new DenoisingModel();
        if (!enabled()) return model;
        Thread t = new Thread(() -> {
            try {
                model.open(new ModelSource.Bundled(BundledModels.DEFAULT));
                StartupLog.mark("preload-model-open");
                model.warmUp(DenoisingRequest.DEFAULT_COUNT);
                StartupLog.mark("preload-first-pass");
            } catch (Exception | LinkageError e) {
                // reported by the pane's own open when it is shown
            }
        }, "model-preload");
        t.setDaemon(true);
        t.start();
        return model;
    }

    /** Whether preloads are on ({@code -Ddiffusion.preload=false} turns them off). */
    private static boolean enabled() {
        return !"false".equals(System.getProperty("diffusion.preload"));
    }
}
