package org.diffusionexplorer.app.likelihood;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.view.PngWriter;
import org.diffusionexplorer.app.view.TaskControls;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.eval.VbTerms;

/**
 * Pane 6, "Where the model is unsure" (issue 17 part 4): the bundled digits model's variational
 * bound over t for real held-out digits beside the same digits with shuffled pixels, with the
 * x_0 and epsilon errors per timestep and both totals. The numbers are those of {@code vb-terms}.
 */
public final class LikelihoodPane extends ExplorerView {
    /** The sidebar's name for this pane and its stable key ({@link ExplorerView}). */
    public static final String TITLE = "Likelihood", KEY = "likelihood"; // the sidebar's width; the heading says "Where the model is unsure"
    /** Values below this are drawn at it: the curves are on a log scale and some terms are ~1e-10. */
    private static final double FLOOR = 1e-12;
    private static final long SEED = 1;

    private final AppContext ctx;
    private final VbTermsJob job = new VbTermsJob();
    private final TextField images = new TextField("16");
    private final TextField steps = new TextField("20");
    private final Button run = new Button("Measure");
    private final TaskControls controls = new TaskControls("vb", 200);
    private final Label error = new Label();
    private final Label totals = new Label();
    private final LineChart<Number, Number> vbChart = chart("vb-chart", null, "log10 bits/dim of the term at t");
    // the small charts name their error in a title: a rotated "log10 x_0 error" did not fit their height in classroom mode
    private final LineChart<Number, Number> x0Chart = chart("x0-chart", "x_0 error (log10 of the mean square)", null);
    private final LineChart<Number, Number> epsChart = chart("eps-chart", "epsilon error (log10 of the mean square)", null);
    private final VBox charts;
    private final ObjectProperty<VbTermsJob.Result> result = new SimpleObjectProperty<>();

    public LikelihoodPane(AppContext ctx) {
        super(TITLE, KEY);
        this.ctx = ctx;
        images.setId("vb-images");
        images.setPrefColumnCount(5);
        steps.setId("vb-steps");
        steps.setPrefColumnCount(5);
        run.setId("vb-run");
        run.setDefaultButton(false);
        controls.bindRunButton(run);
        run.setOnAction(e -> measure());
        controls.statusLabel().setText("Press Measure: the model is called once per timestep for each batch.");
        error.setId("vb-error");
        error.getStyleClass().add("config-error"); // the red line of a refused value, as the config form
        totals.setId("vb-totals");
        totals.getStyleClass().add("view-title");
        totals.setWrapText(true);
        totals.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE); // wrap instead of ending in "..."
        totals.setText("No curves yet: Measure draws them here, real digits and their shuffled pixels.");
        Button export = new Button("Export as PNG...");
        export.setId("vb-export");
        export.disableProperty().bind(result.isNull());
        export.setOnAction(e -> Views.exportPng(root, "the bound's curves", "where-the-model-is-unsure.png", this::exportPng,
                ctx.messages()::showInfo, ctx.messages()::showError));

        Node controlRow = Views.controlRow(new Label("Digits (mnist-test)"), images, new Label("Timesteps"), steps, run,
                controls.cancelButton(), controls.progressBar(), controls.statusLabel(), export);
        VBox top = new VBox(8, Views.heading("Where the model is unsure: the variational bound, timestep by timestep"), controlRow, error);
        top.setPadding(new Insets(0, 0, 10, 0));
        root.setTop(top);

        // the bound large on the left, the two errors it comes from stacked on the right; every chart
        // has the same two series in the same order, so real and shuffled keep their colours throughout
        x0Chart.setMinHeight(180);
        epsChart.setMinHeight(180);
        x0Chart.setLegendVisible(false); // the big chart's legend names the colours
        epsChart.setLegendVisible(false);
        VBox errors = new VBox(4, x0Chart, epsChart);
        VBox.setVgrow(x0Chart, Priority.ALWAYS);
        VBox.setVgrow(epsChart, Priority.ALWAYS);
        HBox both = new HBox(12, vbChart, errors);
        HBox.setHgrow(vbChart, Priority.ALWAYS);
        HBox.setHgrow(errors, Priority.ALWAYS);
        charts = new VBox(8, totals, both);
        VBox.setVgrow(both, Priority.ALWAYS);
        root.setCenter(Views.captioned("Bits per dimension the model pays at each t, real digits against shuffled pixels", charts,
                "Where a curve is high the model is unsure (it pays many bits there); the shuffled pixels have the same values "
                        + "without a digit's shape, so a model that learned digits pays far more for them, most of all at small t."));
        result.addListener((o, was, r) -> show(r));
    }

    private static LineChart<Number, Number> chart(String id, String title, String yLabel) {
        NumberAxis x = new NumberAxis(0, 1000, 100);
        x.setLabel("timestep t");
        NumberAxis y = new NumberAxis();
        y.setLabel(yLabel);
        y.setForceZeroInRange(false);
        LineChart<Number, Number> c = new LineChart<>(x, y);
        c.setId(id);
        c.setTitle(title);
        if (title != null) c.getStyleClass().add("small-chart");
        c.setAnimated(false);
        c.setCreateSymbols(false);
        c.setMinHeight(260);
        return c;
    }

    /** Starts a measurement with the fields' values; a bad value is refused with a line naming the field. */
    public void measure() {
        int n, s;
        try {
            n = whole(images, "Digits", 1, VbTermsJob.MAX_IMAGES);
            s = whole(steps, "Timesteps", 1, 1000);
        } catch (IllegalArgumentException e) {
            error.setText(e.getMessage());
            return;
        }
        error.setText("");
        Task<VbTermsJob.Result> t = new Task<>() {
            @Override
            protected VbTermsJob.Result call() throws Exception {
                int total = 2 * s;
                updateMessage("loading the digits model...");
                int process = job.processSteps();
                if (s > process) throw new IllegalArgumentException("Timesteps: the model's process has " + process + " steps, not " + s);
                return job.run(n, s, SEED, this::isCancelled, done -> {
                    updateProgress(done, total);
                    updateMessage((done <= s ? "real digits" : "shuffled pixels") + ": model call " + done + " of " + total);
                });
            }
        };
        controls.follow(t, (task, state, last) -> switch (state) {
            case SUCCEEDED -> "Done: " + task.getValue().real().images() + " digits, " + task.getValue().real().t().length + " timesteps each";
            case CANCELLED -> "Cancelled at " + last;
            default -> "Failed: " + MessageBar.describe(task.getException());
        }, null);
        ctx.background().submit(t, result::set);
    }

    /** Stops a running measurement after its current model call; the curves shown stay. */
    public void cancel() {
        controls.cancel();
    }

    private static int whole(TextField f, String name, int min, int max) {
        String v = f.getText().strip();
        try {
            int x = Integer.parseInt(v);
            if (x >= min && x <= max) return x;
        } catch (NumberFormatException e) {
            // falls through to the message
        }
        throw new IllegalArgumentException(name + ": must be a whole number from " + min + " to " + max + ", got '" + v + "'");
    }

    private void show(VbTermsJob.Result r) {
        vbChart.getData().setAll(series("real digits", r.real(), r.real().vbBpd()), series("shuffled pixels", r.shuffled(), r.shuffled().vbBpd()));
        x0Chart.getData().setAll(series("real digits", r.real(), r.real().xstartMse()),
                series("shuffled pixels", r.shuffled(), r.shuffled().xstartMse()));
        epsChart.getData().setAll(series("real digits", r.real(), r.real().epsMse()),
                series("shuffled pixels", r.shuffled(), r.shuffled().epsMse()));
        totals.setText(String.format(Locale.ROOT, "Total bound of %s: real digits %.2f bits/dim, shuffled pixels %.2f bits/dim "
                        + "(prior term %.2g bits/dim; %d digits, %d timesteps)", r.model(), r.real().totalBpd(), r.shuffled().totalBpd(),
                r.real().priorBpd(), r.real().images(), r.real().t().length));
    }

    private static XYChart.Series<Number, Number> series(String name, VbTerms.Curves c, double[] values) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        for (int i = 0; i < values.length; i++) s.getData().add(new XYChart.Data<>(c.t()[i], Math.log10(Math.max(FLOOR, values[i]))));
        return s;
    }

    /** Writes the totals and both charts as a PNG (FX thread). */
    public void exportPng(Path file) throws IOException {
        PngWriter.write(charts.snapshot(null, null), file);
    }

    /** The last finished measurement, or null. */
    public ObjectProperty<VbTermsJob.Result> resultProperty() {
        return result;
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return controls.runningProperty();
    }
}
