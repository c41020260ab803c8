package org.diffusionexplorer.app.denoising;

import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import javafx.beans.binding.BooleanExpression;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.view.PixelGrid;
import org.diffusionexplorer.app.view.PngWriter;
import org.diffusionexplorer.app.view.TaskControls;
import org.diffusionexplorer.app.view.Views;

/**
 * One experiment of the Denoising pane (compare samplers, fork from a frame, interpolate two seeds):
 * its settings, Run / Cancel with a progress bar, the result with its caption, and PNG export of the
 * result as shown. The model work runs as a background Task; the settings are read and checked on the
 * FX thread first, so a bad value is refused in one line naming the field and nothing starts.
 *
 * @param <R> what the background work hands to {@link #show}
 */
abstract class ExperimentView<R> {
    /** The background work: reports progress, and stops (with CancellationException) once {@code stop} says so. */
    interface Work<R> {
        R run(DenoisingModel.Progress progress, BooleanSupplier stop) throws Exception;
    }

    private final String id;
    private final String title;
    protected final AppContext ctx;
    protected final Object owner; // the pane: messages are shown and hidden under its name
    protected final DenoisingModel model;
    private final Button run;
    private final Button export = new Button("Export PNG...");
    private final TaskControls controls;
    /** What is shown and exported: the result, with its labels. */
    protected final VBox result = new VBox(6);
    private final BooleanProperty hasResult = new SimpleBooleanProperty(false);
    private final String caption;
    private VBox node;

    ExperimentView(String id, String title, String runText, String caption, AppContext ctx, Object owner, BooleanExpression modelReady,
            DenoisingModel model) {
        this.id = id;
        this.model = model;
        this.title = title;
        this.ctx = ctx;
        this.owner = owner;
        controls = new TaskControls(id, 180);
        run = new Button(runText);
        run.setId(id + "-run");
        run.setOnAction(e -> start());
        controls.bindRunButton(run, modelReady.not());
        export.setId(id + "-export");
        export.disableProperty().bind(hasResult.not().or(controls.runningProperty()));
        export.setOnAction(e -> chooseAndExport());
        result.setId(id + "-result");
        result.getStyleClass().add("experiment-result");
        result.setMinHeight(60);
        this.caption = caption;
    }

    /** The experiment's own fields, in a row. */
    protected abstract Node[] settingsNodes();

    /** FX thread: reads and checks the fields (IllegalArgumentException naming the field), returns the work. */
    protected abstract Work<R> prepare();

    /** FX thread: fills {@link #result} with what the work returned. */
    protected abstract void show(R r);

    /** Built on first use, not in the constructor: the subclass's fields exist by then. */
    Node node() {
        if (node == null) {
            node = Views.captioned(title, new VBox(8, Views.controlRow(settingsNodes()), Views.controlRow(run, controls.cancelButton(),
                    controls.progressBar(), controls.statusLabel(), export),
                    result), caption);
            node.setId(id + "-view");
        }
        return node;
    }

    boolean isRunning() {
        return controls.isRunning();
    }

    /** Starts the experiment; false (and a message naming the field) when a setting is refused. */
    boolean start() {
        Work<R> work;
        try {
            work = prepare();
        } catch (IllegalArgumentException e) {
            ctx.messages().showError(owner, title + ": " + e.getMessage());
            return false;
        }
        Task<R> t = new Task<>() {
            @Override
            protected R call() throws Exception {
                updateMessage("starting...");
                return work.run((done, total) -> {
                    updateProgress(done, total);
                    updateMessage("model call " + done + " of " + total);
                }, this::isCancelled);
            }
        };
        controls.follow(t, (task, state, last) -> state == Worker.State.SUCCEEDED ? "Done"
                : state == Worker.State.CANCELLED ? "Cancelled at " + last : "Failed (see the message above)", state -> {
                    if (state == Worker.State.SUCCEEDED) {
                        show(t.getValue());
                        hasResult.set(true);
                    }
                });
        ctx.messages().hideMessage(owner);
        ctx.background().submit(t, null);
        return true;
    }

    /** Stops the run after its current model call; the last result stays. */
    void cancel() {
        controls.cancel();
    }

    private void chooseAndExport() {
        Path f = Views.choosePng(node(), "Export " + title, id + ".png");
        if (f != null) exportPng(f);
    }

    /** The result as shown, written in the background; null (and a message) before there is one. */
    Task<Path> exportPng(Path file) {
        if (!hasResult.get()) {
            ctx.messages().showError(owner, title + ": nothing to export yet, press " + run.getText() + " first.");
            return null;
        }
        WritableImage im = result.snapshot(new SnapshotParameters(), null); // FX thread; the file is written off it
        return ctx.background().submit(Background.task("Exporting " + file.getFileName(), () -> {
            PngWriter.write(im, file);
            return file;
        }), p -> ctx.messages().showInfo(owner, "Saved " + p));
    }

    // ---------------------------------------------------------------- helpers for the experiments

    static TextField field(String id, String text, double width) {
        TextField f = new TextField(text);
        f.setId(id);
        f.setPrefColumnCount(Math.max(2, (int) (width / 12)));
        f.setPrefWidth(width);
        return f;
    }

    /** A whole number in [min, max] from a field, or IllegalArgumentException naming the field. */
    static long whole(TextField f, String name, long min, long max) {
        String s = f.getText().trim();
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + s + "' is not a whole number");
        }
        if (v < min || v > max) throw new IllegalArgumentException(name + ": must be " + min + ".." + max + ", got " + v);
        return v;
    }

    /** An image of a few model images in a row, at about {@code px} pixels each. */
    static ImageView pictures(PixelGrid g, int tile, double px) {
        int k = Math.max(1, (int) Math.round(px / tile));
        ImageView v = new ImageView(g.scaled(k).toFx());
        v.setSmooth(false);
        return v;
    }

    /** A labelled picture: a line above, a line below. */
    static VBox labelled(String top, Node picture, String bottom) {
        Label a = new Label(top), b = new Label(bottom);
        a.getStyleClass().add("view-title");
        b.getStyleClass().add("hint");
        return new VBox(4, a, picture, b);
    }

    static HBox row(Node... nodes) {
        return new HBox(16, nodes);
    }
}
