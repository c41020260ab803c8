package org.diffusionexplorer.app.denoising;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import javafx.application.Platform;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.shell.StartupLog;
import org.diffusionexplorer.app.view.TaskControls;
import org.diffusionexplorer.app.view.Views;

/**
 * Pane 5: the reverse process. From seeded noise a trained model is called step after step (DDPM
 * with every step or respaced, or DDIM); x_t is shown beside the model's guess of x_0, frames stream
 * in while sampling runs in the background, and a timeline scrubs back through them.
 */
public final class DenoisingPane extends ExplorerView {
    /** The sidebar's name for this pane and its stable key ({@link ExplorerView}). */
    public static final String TITLE = "Denoising", KEY = "denoising";
    private static final double VIEW = 330;
    /** The time embedding pane shows timesteps 0..999. */
    private static final int EMBEDDED_STEPS = 1000;

    private final AppContext ctx;
    private final DenoisingModel denoiser;
    private final IntegerProperty highlight;
    private final ModelChooser chooser;
    private final SamplerControls controls = new SamplerControls();
    private final Button sample = new Button("Sample");
    private final TaskControls runControls = new TaskControls("denoise", 240);
    private final ImageView xtView = Views.pixelView(VIEW), x0View = Views.pixelView(VIEW);
    private final FramePlayer player = new FramePlayer();
    private final BooleanProperty modelReady;
    private int runId;
    /** The settings of the run whose frames the timeline holds (forks continue it). */
    private DenoisingRequest framesOf;
    private final CompareView compare;
    private final ForkView fork;
    private final InterpolateView interpolate;

    /**
     * @param highlight the time embedding pane's highlighted timestep, which follows the frame shown (may be null)
     * @param denoiser the model the pane samples ({@link ModelPreload#start} may be opening it already)
     */
    public DenoisingPane(AppContext ctx, IntegerProperty highlight, DenoisingModel denoiser) {
        super(TITLE, KEY);
        this.ctx = ctx;
        this.denoiser = denoiser;
        this.highlight = highlight;
        chooser = new ModelChooser(ctx, this, denoiser, this::cancel, info -> {
            controls.setMaxSteps(info.diffusionSteps());
            controls.setClasses(info.classes());
        }, this::sample);
        modelReady = chooser.modelReadyProperty();
        root.getStyleClass().add("pane");
        compare = new CompareView(ctx, this, modelReady, denoiser, chooser::info, controls::label);
        fork = new ForkView(ctx, this, modelReady, denoiser, player.shownProperty()::get, () -> framesOf);
        interpolate = new InterpolateView(ctx, this, modelReady, denoiser, chooser::info, controls::label);
        root.setTop(controls());
        root.setCenter(views());
        player.shownProperty().addListener((o, was, f) -> show(f));
        // Building a UNet takes seconds: only when the pane is first looked at, not at every start of the app.
        root.sceneProperty().addListener((o, was, scene) -> {
            if (scene != null) chooser.shown();
        });
    }

    private Node controls() {
        Node row1 = chooser.row(root);

        sample.setId("denoise-sample");
        sample.getStyleClass().add("primary-action");
        sample.setDefaultButton(true);
        sample.setOnAction(e -> sample());
        runControls.bindRunButton(sample, modelReady.not());
        runControls.statusLabel().setMinWidth(260);
        FlowPane row3 = Views.controlRow(controls.countControl(), sample, runControls.cancelButton(), runControls.progressBar(),
                runControls.statusLabel());

        VBox box = new VBox(8, Views.heading("Denoising: from pure noise to an image, one model call per step"), row1,
                controls.node(), row3);
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    private Node views() {
        xtView.setId("denoise-xt");
        x0View.setId("denoise-x0");
        VBox xt = Views.captioned("x_t (being denoised)", Views.imageFrame(xtView, VIEW, "Press Sample: pure noise turns into images here, one model call at a time."),
                "Starts as pure noise from the seed. Every model call removes a little of the noise the model sees.");
        VBox x0 = Views.captioned("Predicted x_0 (its guess)", Views.imageFrame(x0View, VIEW, "The model's guess of the finished images, at every step."),
                "What the model believes the clean image is, from x_t alone. Early guesses are blurry averages; they sharpen as t falls.");
        for (VBox v : new VBox[] {xt, x0}) {
            v.setPrefWidth(VIEW + 40);
            v.setMaxWidth(VIEW + 60);
        }
        Label how = new Label("DDPM adds fresh noise at every step and needs many steps; DDIM with eta 0 walks a deterministic "
                + "path and gets away with far fewer; eta 1 makes DDIM noisy like DDPM. With the same seed and sampler the result "
                + "is the same every time. The time embedding pane highlights the timestep shown here.");
        how.getStyleClass().add("caption");
        how.setWrapText(true);
        VBox about = Views.captioned("Reverse process", how, "Space plays or pauses, '.' and ',' step one frame.");
        HBox.setHgrow(about, Priority.ALWAYS);
        about.setMinWidth(150); // both image cards and this one fit a 1280-pixel projector in classroom mode
        HBox images = new HBox(14, xt, x0, about);

        Button strip = new Button("Export PNG strip...");
        strip.setId("denoise-export-strip");
        strip.setOnAction(e -> chooseAndExport("PNG image", "*.png", "denoising-strip.png", this::exportStrip));
        Button gif = new Button("Export animated GIF...");
        gif.setId("denoise-export-gif");
        gif.setOnAction(e -> chooseAndExport("Animated GIF", "*.gif", "denoising.gif", this::exportGif));
        FlowPane exports = Views.controlRow(strip, gif, Views.hint("Strip: " + FrameExport.STRIP_FRAMES
                + " frames in a row, x_t above predicted x_0. GIF: every stored frame at the play speed."));
        VBox timeline = Views.captioned("Timeline of the stored frames", new VBox(8, player.node(), player.speedRow(), exports),
                "Up to " + DenoisingModel.MAX_FRAMES + " frames are kept per run (evenly spaced for longer runs), the "
                        + "finished samples last. Drag to go back through the run; playing can start while sampling goes on.");
        VBox all = new VBox(12, images, timeline, experiments());
        return Views.scrollable(all);
    }

    /**
     * Three experiments on the open model, one shown at a time under the timeline. Toggle buttons and
     * plain cards rather than a TabPane: a TabPane kept its height when a result grew and cut it off.
     * Only the chosen card is in the scene: JavaFX styles a node and makes its controls' skins even when
     * it is invisible, and the two hidden cards cost about 0.1 s of the pane's first showing (alternated
     * starts, packaging/README.md); a card keeps its state while it is out.
     */
    private Node experiments() {
        Node[] cards = {compare.node(), fork.node(), interpolate.node()};
        String[][] names = {{"Compare samplers", "tab-compare"}, {"Fork from here", "tab-fork"}, {"Interpolate two seeds", "tab-interp"}};
        ToggleGroup group = new ToggleGroup();
        HBox buttons = new HBox(4);
        for (int i = 0; i < cards.length; i++) {
            ToggleButton b = new ToggleButton(names[i][0]);
            b.setId(names[i][1]);
            b.setToggleGroup(group);
            b.setUserData(cards[i]);
            buttons.getChildren().add(b);
        }
        VBox box = new VBox(6, buttons);
        group.selectedToggleProperty().addListener((o, was, now) -> {
            if (now == null) {
                if (was != null) was.setSelected(true); // one experiment is always shown
            } else {
                box.getChildren().setAll(buttons, (Node) now.getUserData());
            }
        });
        group.selectToggle(group.getToggles().get(0));
        box.setId("denoise-experiments");
        return box;
    }

    /** Opens a checkpoint file, a run folder or a model folder. A file that cannot be read ends as a message. */
    public void openModel(Path path) {
        chooser.openModel(path);
    }

    /** Starts sampling with the controls' settings; frames stream into the viewer as they are computed. */
    public void sample() {
        DenoisingRequest r;
        try {
            r = controls.request();
        } catch (IllegalArgumentException e) {
            ctx.messages().showError(this, e.getMessage());
            return;
        }
        player.clear();
        player.setSampling(true);
        framesOf = r;
        int id = ++runId;
        Task<Boolean> task = new Task<>() {
            @Override
            protected Boolean call() {
                updateMessage("Starting...");
                return denoiser.sample(r, new DenoisingModel.Sink() {
                    @Override
                    public void frame(DenoiseFrame f) {
                        RenderedFrame rf = RenderedFrame.of(f); // drawn here, so the FX thread only swaps images
                        Platform.runLater(() -> {
                            if (id == runId && !isCancelled()) player.add(rf); // nothing arrives after Cancel
                        });
                    }

                    @Override
                    public void progress(int done, int total) {
                        updateProgress(done, total);
                        updateMessage("model call " + done + " of " + total);
                    }
                }, this::isCancelled);
            }
        };
        runControls.follow(task, (t, state, last) -> switch (state) {
            case SUCCEEDED -> "Done: " + last;
            case CANCELLED -> "Cancelled at " + last;
            default -> "Failed (see the message above)";
        }, state -> player.setSampling(false));
        ctx.messages().hideMessage(this);
        ctx.background().submit(task, null);
    }

    /** Stops a running sampling after its current model call; the frames so far stay. */
    public void cancel() {
        runControls.cancel();
    }

    private void chooseAndExport(String what, String pattern, String name, Function<Path, Task<Path>> exporter) {
        Path f = Views.chooseSave(root, "Export " + what, name, what, pattern);
        if (f != null) exporter.apply(f);
    }

    /** Writes the strip in the background; null (and a message) when there is nothing to export yet. */
    public Task<Path> exportStrip(Path file) {
        return export(file, frames -> FrameExport.strip(frames, file));
    }

    /** Writes every stored frame as an animated GIF at the play speed, in the background. */
    public Task<Path> exportGif(Path file) {
        int delay = (int) Math.round(1000 / player.speed());
        return export(file, frames -> FrameExport.gif(frames, delay, file));
    }

    private interface Writer {
        void write(List<RenderedFrame> frames) throws Exception;
    }

    private Task<Path> export(Path file, Writer writer) {
        List<RenderedFrame> frames = player.frames();
        if (frames.isEmpty()) {
            ctx.messages().showError(this, "Nothing to export yet: press Sample first.");
            return null;
        }
        return ctx.background().submit(Background.task("Exporting " + file.getFileName(), () -> {
            writer.write(frames);
            return file;
        }), p -> ctx.messages().showInfo(this, "Saved " + p));
    }

    private void show(RenderedFrame f) {
        xtView.setImage(f == null ? null : f.xtImage());
        x0View.setImage(f == null ? null : f.x0Image());
        if (f != null) StartupLog.mark("first-denoise-frame");
        if (f != null && highlight != null) highlight.set(Math.max(0, Math.min(EMBEDDED_STEPS - 1, f.frame().modelT())));
    }

    /** Frames stored so far (FX thread). */
    public int frameCount() {
        return player.frames().size();
    }

    /** Writes an experiment's result ("compare", "fork", "interp") as shown, as its Export PNG... does. */
    public Task<Path> exportExperiment(String which, Path file) {
        return experiment(which).exportPng(file);
    }

    /** Starts an experiment as its button does; false when a setting was refused (the message says which). */
    public boolean startExperiment(String which) {
        return experiment(which).start();
    }

    public boolean isExperimentRunning(String which) {
        return experiment(which).isRunning();
    }

    private ExperimentView<?> experiment(String which) {
        return switch (which) {
            case "compare" -> compare;
            case "fork" -> fork;
            case "interp" -> interpolate;
            default -> throw new IllegalArgumentException("no experiment " + which);
        };
    }

    public boolean isSampling() {
        return runControls.isRunning();
    }

    /** The models the chooser offers when the pane is next shown: bundled ones, then the runs offered for sampling. */
    public List<ModelSource> modelSources() {
        return chooser.sources();
    }

    public boolean isModelReady() {
        return modelReady.get();
    }

    @Override
    public void togglePlay() {
        player.togglePlay();
    }

    @Override
    public void step(int direction) {
        player.step(direction);
    }
}
