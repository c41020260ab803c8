package org.diffusionexplorer.app.embedding;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;
import org.controlsfx.control.SegmentedButton;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.view.ColorLegend;
import org.diffusionexplorer.app.view.HeatMapView;
import org.diffusionexplorer.app.view.Images;
import org.diffusionexplorer.app.view.TimestepPlayer;
import org.diffusionexplorer.app.view.Views;

/**
 * Pane 1: the sinusoidal timestep embedding as a heat-map (timesteps down, dimensions across) in
 * either layout, selected dimensions as curves over t, and the timestep-to-timestep dot products.
 */
public final class TimeEmbeddingPane extends ExplorerView {
    /** The sidebar's name for this pane and its stable key ({@link ExplorerView}). */
    public static final String TITLE = "Time embedding", KEY = "embedding";
    /** Timesteps of the diffusion process shown (the reference's usual T). */
    public static final int STEPS = 1000;
    private static final int SIMILARITY_STRIDE = 5;

    private final AppContext ctx;
    private final Spinner<Integer> dim = new Spinner<>(2, 1024, 128, 2);
    private final ComboBox<Double> maxPeriod = new ComboBox<>();
    private final ObjectProperty<EmbeddingLayout> layout = new SimpleObjectProperty<>(EmbeddingLayout.REFERENCE_COS_SIN);
    private final TimestepPlayer player = new TimestepPlayer(STEPS, 500);
    private final IntegerProperty sampledTimestep = player.timestepProperty();
    private final TextField plotDims = new TextField("20, 30, 44");
    private final HeatMapView heat = new HeatMapView(460, 360);
    private final HeatMapView similarity = new HeatMapView(240, 160);
    private final LineChart<Number, Number> lines = new LineChart<>(new NumberAxis(0, STEPS, 100), new NumberAxis(-1.1, 1.1, 0.5));
    private final XYChart.Series<Number, Number> marker = new XYChart.Series<>();
    private final Label layoutLabel = new Label();
    private final Label hover = new Label(" ");
    private final Label tLabel = new Label();
    private Task<EmbeddingResult> pending;
    private EmbeddingResult shown;

    public TimeEmbeddingPane(AppContext ctx) {
        super(TITLE, KEY);
        this.ctx = ctx;
        root.getStyleClass().add("pane");
        root.setTop(controls());
        root.setCenter(views());
        dim.valueProperty().addListener((o, a, b) -> recompute());
        maxPeriod.valueProperty().addListener((o, a, b) -> recompute());
        layout.addListener((o, a, b) -> recompute());
        plotDims.setOnAction(e -> recompute());
        plotDims.focusedProperty().addListener((o, was, now) -> {
            if (!now) recompute();
        });
        sampledTimestep.addListener((o, a, b) -> showTimestep());
        recompute();
    }

    private Node controls() {
        dim.setId("embed-dim");
        dim.setEditable(true);
        dim.setPrefWidth(110);
        maxPeriod.setId("embed-max-period");
        maxPeriod.getItems().addAll(10.0, 100.0, 1000.0, 10000.0, 100000.0);
        maxPeriod.setValue(10000.0);
        maxPeriod.setConverter(new StringConverter<>() {
            @Override
            public String toString(Double d) {
                return d == null ? "" : String.format("%,.0f", d);
            }

            @Override
            public Double fromString(String s) {
                return Double.valueOf(s.replace(",", ""));
            }
        });

        ToggleButton ref = new ToggleButton("Reference [cos | sin]");
        ref.setId("layout-reference");
        ref.setUserData(EmbeddingLayout.REFERENCE_COS_SIN);
        ToggleButton inter = new ToggleButton("Seed figure: interleaved sin, cos");
        inter.setId("layout-interleaved");
        inter.setUserData(EmbeddingLayout.INTERLEAVED_SIN_COS);
        SegmentedButton layoutButtons = Views.segmented(ref, l -> layout.set((EmbeddingLayout) l), ref, inter);

        Slider t = player.slider("embed-t");
        t.setPrefWidth(360);
        tLabel.setId("embed-t-label");
        tLabel.setMinWidth(120);

        FlowPane row1 = Views.controlRow(new Label("Dimension"), dim, new Label("max_period"), maxPeriod, new Label("Layout"), layoutButtons);
        FlowPane row2 = Views.controlRow(new Label("Timestep being sampled"), t, tLabel,
                Views.hint("(the Denoising pane moves this while it samples; Space plays)"));
        VBox box = new VBox(8, Views.heading("Time embedding: how the UNet is told which timestep it is at"), row1, row2);
        box.getStyleClass().add("controls");
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    private Node views() {
        heat.setId("embedding-heatmap");
        heat.highlightedRowProperty().bind(sampledTimestep);
        heat.setDescriber(this::describeCell);
        hover.setId("embedding-hover");
        hover.getStyleClass().add("hover-info");
        hover.textProperty().bind(heat.hoverTextProperty().concat(similarity.hoverTextProperty()));
        layoutLabel.setId("layout-label");
        layoutLabel.getStyleClass().add("layout-label");
        layoutLabel.setWrapText(true);
        layoutLabel.setMinHeight(Region.USE_PREF_SIZE);
        hover.setWrapText(true);
        hover.setMinHeight(Region.USE_PREF_SIZE);
        Label axes = Views.hint("rows: timestep t = 0 (top) .. " + (STEPS - 1) + " (bottom);  columns: embedding index 0 .. dim-1");
        VBox heatBox = new VBox(6, layoutLabel, heat, axes, new ColorLegend("-1", "0", "+1"), hover);
        VBox.setVgrow(heat, Priority.ALWAYS);
        VBox heatCard = Views.captioned("Embedding of every timestep", heatBox,
                "Each row is the vector the UNet gets for one timestep t; each column is sin or cos of t times one frequency, "
                        + "fast at low indices, slow at high ones, so every t has its own pattern. Yellow: the timestep being sampled.");
        HBox.setHgrow(heatCard, Priority.ALWAYS);

        lines.setId("embedding-lines");
        lines.setCreateSymbols(false);
        lines.setAnimated(false);
        lines.setLegendVisible(true);
        lines.getXAxis().setLabel("timestep t");
        lines.getYAxis().setLabel("value");
        lines.setPrefSize(420, 260);
        lines.setMinHeight(250);
        marker.setName("t being sampled");
        plotDims.setId("plot-dims");
        plotDims.setPrefColumnCount(10);
        VBox lineBox = new VBox(4, Views.controlRow(new Label("Indices to plot"), plotDims), lines);
        VBox lineCard = Views.captioned("Chosen indices over t", lineBox,
                "Each index is a sine or cosine of t at its own frequency. Dashed: the timestep being sampled.");

        similarity.setId("similarity-matrix");
        similarity.setDescriber(this::describeSimilarity);
        similarity.highlightedRowProperty().bind(sampledTimestep.divide(SIMILARITY_STRIDE));
        VBox simBox = new VBox(4, similarity, new ColorLegend("-1", "0", "+1 (x dim/2)"));
        VBox.setVgrow(similarity, Priority.ALWAYS);
        VBox simCard = Views.captioned("Dot product of every pair of timesteps", simBox,
                "emb(t1) . emb(t2) = sum_k cos(w_k (t1 - t2)) depends only on t1 - t2: constant along every diagonal. "
                        + "That is how the code encodes relative position.");
        VBox right = new VBox(10, lineCard, simCard);
        VBox.setVgrow(simCard, Priority.ALWAYS);
        right.setPrefWidth(440);
        right.setMinWidth(360);
        HBox all = new HBox(14, heatCard, right);
        return Views.scrollable(all);
    }

    /** Recomputes everything for the current controls in the background; a newer request cancels an older one. */
    private void recompute() {
        int d = dim.getValue();
        Double mp = maxPeriod.getValue();
        EmbeddingLayout lay = layout.get();
        List<Integer> indices;
        try {
            indices = parseIndices(plotDims.getText(), d);
        } catch (IllegalArgumentException e) {
            ctx.messages().showError(this, e.getMessage());
            return;
        }
        if (mp == null || !(mp > 1)) {
            ctx.messages().showError(this, "max_period must be a number greater than 1");
            return;
        }
        if (pending != null) pending.cancel();
        pending = ctx.background().submit(Background.task("Computing the embedding", () -> compute(d, mp, lay, indices)), this::show);
    }

    private EmbeddingResult compute(int d, double mp, EmbeddingLayout lay, List<Integer> indices) {
        double[] ts = new double[STEPS];
        for (int i = 0; i < STEPS; i++) ts[i] = i;
        double[][] emb = SinusoidalEmbedding.embed(ts, d, mp, lay);
        double[][] sub = new double[STEPS / SIMILARITY_STRIDE][];
        for (int i = 0; i < sub.length; i++) sub[i] = emb[i * SIMILARITY_STRIDE];
        double[][] gram = SinusoidalEmbedding.dotProducts(sub);
        List<XYChart.Series<Number, Number>> series = new ArrayList<>();
        for (int idx : indices) {
            XYChart.Series<Number, Number> s = new XYChart.Series<>();
            s.setName((lay.isSine(idx, d) ? "sin" : "cos") + " #" + idx);
            for (int t = 0; t < STEPS; t += 2) s.getData().add(new XYChart.Data<>(t, emb[t][idx]));
            series.add(s);
        }
        return new EmbeddingResult(d, mp, lay, emb, Images.heatMap(emb, 1.0), gram, SIMILARITY_STRIDE,
                Images.heatMap(gram, d / 2), series);
    }

    private void show(EmbeddingResult r) {
        shown = r;
        heat.imageProperty().set(r.heatMap());
        similarity.imageProperty().set(r.similarityImage());
        List<XYChart.Series<Number, Number>> all = new ArrayList<>(r.lines());
        all.add(marker);
        lines.getData().setAll(all);
        if (marker.getNode() != null) marker.getNode().getStyleClass().add("time-marker");
        int half = r.dim() / 2;
        layoutLabel.setText(r.layout() == EmbeddingLayout.REFERENCE_COS_SIN
                ? "Reference layout (improved-diffusion): columns 0.." + (half - 1) + " are cos(w_k t), columns " + half + ".."
                        + (2 * half - 1) + " are sin(w_k t)" + (r.dim() % 2 == 1 ? "; the last column is zero padding" : "")
                : "Seed figure's layout: even columns 2k are sin(w_k t), odd columns 2k+1 are cos(w_k t)"
                        + (r.dim() % 2 == 1 ? "; the last column is zero padding" : "")
                        + " - the same numbers as the reference, rearranged");
        ctx.messages().hideMessage(this);
        showTimestep();
    }

    private void showTimestep() {
        int t = sampledTimestep.get();
        tLabel.setText("t = " + t);
        marker.getData().setAll(new XYChart.Data<>(t, -1.1), new XYChart.Data<>(t, 1.1));
    }

    private String describeCell(int row, int col) {
        EmbeddingResult r = shown;
        if (r == null) return "";
        int k = r.layout().frequencyIndex(col, r.dim());
        if (k < 0) return String.format("t = %d, index %d: zero padding (odd dimension)", row, col);
        double w = SinusoidalEmbedding.frequency(k, r.dim(), r.maxPeriod());
        return String.format("t = %d, index %d = %s(w_%d t), frequency w = %.3g (period %.3g steps), value %+.3f",
                row, col, r.layout().isSine(col, r.dim()) ? "sin" : "cos", k, w, 2 * Math.PI / w, r.embedding()[row][col]);
    }

    private String describeSimilarity(int row, int col) {
        EmbeddingResult r = shown;
        if (r == null) return "";
        int t1 = row * r.similarityStride(), t2 = col * r.similarityStride();
        return String.format("t1 = %d, t2 = %d (t1 - t2 = %d): dot product %.3f of at most %d", t1, t2, t1 - t2,
                r.similarity()[row][col], r.dim() / 2);
    }

    static List<Integer> parseIndices(String text, int dim) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.split("[,\\s]+")) {
            if (s.isBlank()) continue;
            int i;
            try {
                i = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Indices to plot: '" + s + "' is not a whole number");
            }
            if (i < 0 || i >= dim) throw new IllegalArgumentException("Indices to plot: " + i + " is outside 0.." + (dim - 1));
            out.add(i);
        }
        if (out.size() > 8) throw new IllegalArgumentException("Indices to plot: at most 8 curves stay readable");
        return out;
    }

    /** The timestep whose row is highlighted; the denoising pane will bind this to its sampler. */
    public IntegerProperty sampledTimestepProperty() {
        return sampledTimestep;
    }

    public HeatMapView heatMap() {
        return heat;
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
