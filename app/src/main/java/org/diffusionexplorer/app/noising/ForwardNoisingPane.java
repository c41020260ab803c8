package org.diffusionexplorer.app.noising;

import java.nio.file.Path;
import javafx.beans.property.IntegerProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.ImageView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.SegmentedButton;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.app.view.Images;
import org.diffusionexplorer.app.view.TimestepPlayer;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.diffusion.NoiseSchedule;

/**
 * Pane 3: the forward process q(x_t | x_0). A dataset image, its noised version x_t as a slider
 * scrubs t, and the noise itself (drawn once per image from a fixed seed, so scrubbing only changes
 * how much of it is mixed in); alpha-bar and SNR curves of both schedules below.
 */
public final class ForwardNoisingPane extends ExplorerView {
    /** The sidebar's name for this pane and its stable key ({@link ExplorerView}). */
    public static final String TITLE = "Forward noising", KEY = "noising";
    public static final int STEPS = 1000;
    /** The same noise every time for the same image: scrubbing t is then smooth and repeatable. */
    public static final long NOISE_SEED = 1234;
    private static final double VIEW = 176;

    private final AppContext ctx;
    private final ComboBox<String> dataset = new ComboBox<>();
    private final Spinner<Integer> index = new Spinner<>(0, 99999, 7);
    private final TimestepPlayer player = new TimestepPlayer(STEPS, 250);
    private final IntegerProperty t = player.timestepProperty();
    private final ImageView x0View = Views.pixelView(VIEW), xtView = Views.pixelView(VIEW), epsView = Views.pixelView(VIEW);
    private final Label numbers = new Label();
    private final ScheduleCurves linear, cosine;
    private final ScheduleCharts charts;
    private ScheduleCurves current;
    private ImageData x0, eps;
    private int requestId;
    private boolean shown; // the image is decoded once the pane is first shown, not at start-up

    public ForwardNoisingPane(AppContext ctx) {
        super(TITLE, KEY);
        this.ctx = ctx;
        linear = ScheduleCurves.of(NoiseSchedule.LINEAR, STEPS);
        cosine = ScheduleCurves.of(NoiseSchedule.COSINE, STEPS);
        current = cosine;
        charts = new ScheduleCharts(linear, cosine);
        root.setTop(controls());
        root.setCenter(views());
        t.addListener((o, a, b) -> updateXt());
        dataset.valueProperty().addListener((o, a, b) -> loadImage());
        index.valueProperty().addListener((o, a, b) -> loadImage());
        dataset.setValue("mnist");
        Views.acceptFolderDrops(root, this::useFolder);
        whenFirstShown(() -> {
            shown = true;
            loadImage();
        });
    }

    private Node controls() {
        dataset.setId("noise-dataset");
        dataset.getItems().addAll("mnist", "emoji");
        dataset.setEditable(false);
        index.setId("noise-index");
        index.setEditable(true);
        index.setPrefWidth(110);
        Button folder = new Button("Folder...");
        folder.setId("noise-folder");
        folder.setOnAction(e -> {
            Path f = Views.chooseFolder(root.getScene().getWindow(), "A folder of images", null);
            if (f != null) useFolder(f.toAbsolutePath().toString());
        });
        ToggleButton lin = new ToggleButton("linear schedule");
        lin.setId("noise-schedule-linear");
        lin.setUserData(linear);
        ToggleButton cos = new ToggleButton("cosine schedule");
        cos.setId("noise-schedule-cosine");
        cos.setUserData(cosine);
        SegmentedButton sched = Views.segmented(cos, s -> {
            current = (ScheduleCurves) s;
            updateXt();
        }, lin, cos);
        Slider tSlider = player.slider("noise-t");
        tSlider.setPrefWidth(520);
        tSlider.setShowTickLabels(true);
        tSlider.setMajorTickUnit(100);
        HBox.setHgrow(tSlider, Priority.ALWAYS);
        Label tValue = new Label();
        tValue.setId("noise-t-label");
        tValue.setMinWidth(80);
        tValue.textProperty().bind(t.asString("t = %d"));
        FlowPane row1 = Views.controlRow(new Label("Image from"), dataset, folder, new Label("#"), index, new Label("Noise with"), sched);
        HBox row2 = new HBox(12, new Label("Timestep"), tSlider, tValue, Views.hint("(Space plays, '.' and ',' step)"));
        row2.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(8, Views.heading("Forward noising: how training images are turned into noise"), row1, row2);
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    private Node views() {
        x0View.setId("noise-x0");
        xtView.setId("noise-xt");
        epsView.setId("noise-eps");
        numbers.setId("noise-numbers");
        numbers.getStyleClass().add("hover-info");
        VBox a = Views.captioned("x_0 (clean)", Views.imageFrame(x0View, VIEW), "A dataset image, scaled to the model's range [-1, 1].");
        VBox b = Views.captioned("x_t (noised)", Views.imageFrame(xtView, VIEW),
                "What the model sees at t: sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps. Drag t and the noise takes over.");
        VBox c = Views.captioned("eps (noise)", Views.imageFrame(epsView, VIEW),
                "Standard normal noise, drawn once (seed " + NOISE_SEED + "). The UNet is trained to predict it from x_t and t.");
        for (VBox v : new VBox[] {a, b, c}) {
            v.setPrefWidth(VIEW + 40);
            v.setMaxWidth(VIEW + 60);
        }
        HBox cards = new HBox(14, a, b, c);
        cards.setId("noise-images");
        HBox images = new HBox(14, cards, numbers);
        HBox.setHgrow(numbers, Priority.ALWAYS);
        numbers.setWrapText(true);
        numbers.setMinWidth(200);
        VBox alpha = Views.captioned("alpha-bar over t", charts.alphaBar,
                "The share of the signal's variance left at t. Linear (Ho et al.) destroys the image early; cosine (Nichol and Dhariwal) more evenly.");
        VBox snr = Views.captioned("Signal-to-noise ratio over t (log scale)", charts.snr,
                "abar / (1 - abar). Cosine lowers it steadily; linear spends many late steps on almost pure noise.");
        HBox.setHgrow(alpha, Priority.ALWAYS);
        HBox.setHgrow(snr, Priority.ALWAYS);
        HBox plots = new HBox(14, alpha, snr);
        VBox all = new VBox(12, images, plots);
        VBox.setVgrow(plots, Priority.ALWAYS);
        return Views.scrollable(all);
    }

    /** Uses a folder of images; a folder that cannot serve ends up as a message, the old image stays. */
    public void useFolder(String path) {
        if (!dataset.getItems().contains(path)) dataset.getItems().add(path);
        dataset.setValue(path);
    }

    private void loadImage() {
        String ds = dataset.getValue();
        int i = index.getValue();
        if (ds == null || !shown) return;
        boolean colour = !ds.equals("mnist");
        int size = colour ? 64 : 32, ch = colour ? 3 : 1;
        int id = ++requestId;
        javafx.concurrent.Task<ImageData[]> task = Background.task("Loading " + ds, () -> {
            ImageData img = ctx.datasetImage(ds, i, size, ch);
            return new ImageData[] {img, noise(NOISE_SEED, ch, size, size)};
        });
        // A folder that cannot serve: the message bar says why, and the last good image stays on screen.
        ctx.background().submit(task, pair -> {
            if (id != requestId) return;
            x0 = pair[0];
            eps = pair[1];
            x0View.setImage(Images.fromModel(x0));
            epsView.setImage(Images.fromModel(eps));
            ctx.messages().hideMessage(this);
            updateXt();
        });
    }

    /** Standard normal noise of the given shape, the same for the same seed. */
    private static ImageData noise(long seed, int channels, int height, int width) {
        java.util.Random r = new java.util.Random(seed);
        float[] d = new float[channels * height * width];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return new ImageData(channels, height, width, d);
    }

    private void updateXt() {
        int step = t.get();
        charts.mark(step);
        double abar = current.alphasCumprod()[step];
        numbers.setText(String.format("%s schedule, t = %d%nabar_t = %.4f%nsqrt(abar_t) = %.4f  (signal)%n"
                + "sqrt(1 - abar_t) = %.4f  (noise)%nSNR = %.3g", current.schedule(), step, abar, Math.sqrt(abar),
                Math.sqrt(1 - abar), current.snr(step)));
        if (x0 == null) return;
        xtView.setImage(Images.fromModel(current.qSample(x0, eps, step)));
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
