package org.diffusionexplorer.app.denoising;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.concurrent.Task;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.stage.FileChooser;
import javafx.util.StringConverter;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.StartupLog;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.io.Failures;

/**
 * Which model the Denoising pane samples: the chooser of bundled models and offered runs, the
 * Open checkpoint / Open run folder buttons, and the opening itself (in the background; a file
 * that cannot be read ends as a message and the last good model stays open).
 */
final class ModelChooser {
    private final AppContext ctx;
    /** whose messages these are: the pane's, so opening a model clears the pane's old error */
    private final Object owner;
    private final DenoisingModel denoiser;
    private final DenoisingSources sources;
    private final ComboBox<ModelSource> models = new ComboBox<>();
    private final Label modelInfo = new Label("No model open yet");
    private final BooleanProperty modelReady = new SimpleBooleanProperty(false);
    private final Runnable beforeOpen;
    private final Consumer<DenoiserInfo> opened;
    private final Runnable autoSample;
    private ModelSource openSource;
    private DenoiserInfo openInfo;
    private boolean choosing; // the chooser is set by this class itself: not a request to open
    private int loadId;

    /**
     * @param beforeOpen runs before a model is opened (the pane cancels its sampling)
     * @param opened gets the description of a model that opened, before it counts as ready
     * @param autoSample samples once the first model is ready (-Ddiffusion.startupLog=denoise only)
     */
    ModelChooser(AppContext ctx, Object owner, DenoisingModel denoiser, Runnable beforeOpen, Consumer<DenoiserInfo> opened,
            Runnable autoSample) {
        this.ctx = ctx;
        this.owner = owner;
        this.denoiser = denoiser;
        this.sources = new DenoisingSources(ctx.offeredRuns());
        this.beforeOpen = beforeOpen;
        this.opened = opened;
        this.autoSample = autoSample;
    }

    /** The row of the chooser, the two Open buttons and what the open model is. */
    Node row(Node window) {
        models.setId("denoise-model");
        models.setConverter(new StringConverter<>() {
            @Override
            public String toString(ModelSource s) {
                return s == null ? "" : s.label();
            }

            @Override
            public ModelSource fromString(String s) {
                return null;
            }
        });
        models.valueProperty().addListener((o, was, now) -> {
            if (!choosing && now != null && !now.equals(openSource)) open(now);
        });
        Button file = new Button("Open checkpoint...");
        file.setId("denoise-open-file");
        file.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("A checkpoint of a training run");
            fc.setInitialDirectory(ctx.settings().checkpointChooserStart());
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Checkpoints (*.npz, *.pt)", "*.npz", "*.pt", "*.pth"),
                    new FileChooser.ExtensionFilter("All files", "*"));
            File f = fc.showOpenDialog(window.getScene().getWindow());
            if (f != null) openModel(f.toPath());
        });
        Button folder = new Button("Open run folder...");
        folder.setId("denoise-open-folder");
        folder.setOnAction(e -> {
            Path f = Views.chooseFolder(window.getScene().getWindow(), "A training run folder (its newest checkpoint is used)",
                    ctx.settings().runsChooserStart());
            if (f != null) ctx.settings().rememberRunFolder(f);
            if (f != null) openModel(f);
        });
        modelInfo.setId("denoise-model-info");
        modelInfo.getStyleClass().add("hint");
        return Views.controlRow(new Label("Model"), models, file, folder, modelInfo);
    }

    /** The pane is shown: the chooser lists the newest sources, and the first time the default model opens. */
    void shown() {
        refreshSources();
        if (openSource == null && loadId == 0) open(sources.defaultSource());
    }

    private void refreshSources() {
        choosing = true;
        try {
            for (ModelSource s : sources.sources()) if (!models.getItems().contains(s)) models.getItems().add(s);
        } finally {
            choosing = false;
        }
    }

    /** Opens a checkpoint file, a run folder or a model folder. A file that cannot be read ends as a message. */
    void openModel(Path path) {
        open(new ModelSource.OnDisk(path.toAbsolutePath()));
    }

    private void open(ModelSource s) {
        beforeOpen.run();
        int id = ++loadId;
        modelReady.set(false);
        modelInfo.setText("Opening " + s.label() + "...");
        DenoiserInfo already = denoiser.openBundled(s);
        if (already != null) { // the preload opened it: ready now, not after a background task's trip (a frame or more)
            finishOpen(id, s, new Opened(already, null));
            return;
        }
        Task<Opened> task = Background.task("Opening " + s.label(), () -> {
            try {
                return new Opened(denoiser.open(s), null);
            } catch (Exception | LinkageError e) { // a foreign or broken file: tell the user, keep the app
                return new Opened(null, Failures.reason(e));
            }
        });
        ctx.background().submit(task, o -> finishOpen(id, s, o));
    }

    /** On the FX thread: the outcome of the open numbered {@code id}, unless a later open replaced it. */
    private void finishOpen(int id, ModelSource s, Opened o) {
        if (id != loadId) return;
        if (o.error() == null) {
            openSource = s;
            openInfo = o.info();
            opened.accept(openInfo);
            StartupLog.mark("denoise-model-ready");
            ctx.messages().hideMessage(owner);
        } else {
            ctx.messages().showError(owner, "Could not open the model " + s.label() + ": " + o.error());
        }
        // A failed open leaves the last good model (or none) in place, and the chooser says which.
        modelReady.set(openSource != null);
        modelInfo.setText(openInfo == null ? "No model open" : openInfo.summary());
        select(openSource);
        if (modelReady.get() && StartupLog.takeAutoSample()) autoSample.run();
    }

    private void select(ModelSource s) {
        choosing = true;
        try {
            if (s != null && !models.getItems().contains(s)) models.getItems().add(s);
            models.setValue(s);
        } finally {
            choosing = false;
        }
    }

    /** Whether a model is open and can sample. */
    BooleanProperty modelReadyProperty() {
        return modelReady;
    }

    /** The open model's description, or null before one opened. */
    DenoiserInfo info() {
        return openInfo;
    }

    /** The models the chooser offers when the pane is next shown. */
    List<ModelSource> sources() {
        return sources.sources();
    }

    /** The outcome of opening a model: its description, or the reason in words for the user. */
    private record Opened(DenoiserInfo info, String error) {}
}
