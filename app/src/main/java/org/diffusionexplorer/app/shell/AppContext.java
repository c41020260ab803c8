package org.diffusionexplorer.app.shell;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.settings.Settings;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.data.DatasetException;
import org.diffusionexplorer.data.DatasetOptions;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.data.ImageDataset;
import org.diffusionexplorer.data.ImageDecodeException;
import org.diffusionexplorer.runtime.BackendReport;

/**
 * The one services object every pane receives: the background runner, the message bar, the
 * user's settings, and what more than one pane shares of the model side (the datasets, the
 * numeric backend, the training runs offered for sampling). What only one pane uses lives in that
 * pane's package. Read-only observable state plus commands; calls marked "slow" run on a background task.
 */
public final class AppContext {
    private final Background background;
    private final MessageBar messages;
    private final Settings settings;
    private final Map<String, ImageDataset> datasets = new ConcurrentHashMap<>();
    private final ObservableList<Path> offeredRuns = FXCollections.observableArrayList();
    private final ObservableList<Path> offeredRunsView = FXCollections.unmodifiableObservableList(offeredRuns);
    private volatile boolean nativesLoaded;

    public AppContext(Background background, MessageBar messages, Settings settings) {
        this.background = background;
        this.messages = messages;
        this.settings = settings;
    }

    /** With settings that live in memory only. */
    public AppContext(Background background, MessageBar messages) {
        this(background, messages, new Settings());
    }

    public Background background() {
        return background;
    }

    public MessageBar messages() {
        return messages;
    }

    public Settings settings() {
        return settings;
    }

    /** Slow the first time (decodes the dataset): image {@code index} of a dataset, size x size, model range. */
    public ImageData datasetImage(String dataset, int index, int size, int channels) {
        ImageDataset ds = datasets.computeIfAbsent(dataset + "|" + size + "|" + channels,
                k -> Datasets.open(dataset, DatasetOptions.of(size, channels)));
        if (ds.size() == 0) throw new DatasetException(dataset + " has no readable images");
        int i = Math.floorMod(index, ds.size());
        try {
            return new ImageData(channels, size, size, ds.image(i));
        } catch (ImageDecodeException e) {
            throw new DatasetException("cannot read " + ds.describe(i) + ": " + e.getMessage());
        }
    }

    /** Slow the first time (loads the native backend). */
    public BackendReport backend() {
        // Thread counts are set once for the whole process by NativeRuntime (every core; idle OpenMP
        // workers sleep, so the window still gets its share); CPU or CUDA is decided there too.
        BackendReport r = BackendReport.current();
        nativesLoaded = true;
        return r;
    }

    /** Says that ND4J's natives are loaded (a pane ran model work), so {@link #processBytes} may ask for the process size. */
    public void nativesLoaded() {
        nativesLoaded = true;
    }

    /** Resident memory of the whole process, natives included (0 when unknown or before the backend loaded). */
    public long processBytes() {
        if (!nativesLoaded) return 0; // JavaCPP's Pointer loads natives on first touch: not from the FX thread
        return org.bytedeco.javacpp.Pointer.physicalBytes();
    }

    /** The training runs offered to the Denoising pane as live models, oldest first (FX thread). */
    public ObservableList<Path> offeredRuns() {
        return offeredRunsView;
    }

    /** Offers a training run's newest checkpoint for sampling while it trains (FX thread); offered again, it moves last. */
    public void offerRun(Path runDir) {
        offeredRuns.remove(runDir);
        offeredRuns.add(runDir);
    }
}
