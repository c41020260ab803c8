package org.diffusionexplorer.app.training;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import javafx.scene.SnapshotParameters;
import javafx.scene.chart.BarChart;
import javafx.scene.chart.CategoryAxis;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.view.PngWriter;
import org.diffusionexplorer.app.view.Views;

/**
 * Which timesteps the trainer practises (issue 17, part 5): with the loss-second-moment sampler
 * (the paper's section 3.3) a run draws t with p(t) proportional to the root mean square of the last
 * losses at t; this shows that p(t), summed over {@link #BINS} equal ranges of t, as bars against the
 * uniform share. A run with the uniform sampler has nothing to show and says so instead.
 */
final class TimestepWeightsView {
    static final int BINS = 20;
    static final String UNIFORM_TEXT = "This run draws t uniformly (schedule_sampler \"uniform\"): every timestep is practised "
            + "equally often. A run config with \"loss-second-moment\" shows here which timesteps it practises more.";

    private final CategoryAxis xAxis = new CategoryAxis();
    private final NumberAxis yAxis = new NumberAxis();
    private final BarChart<String, Number> chart = new BarChart<>(xAxis, yAxis);
    private final XYChart.Series<String, Number> series = new XYChart.Series<>();
    private final Label note = Views.hint("No run yet.");
    private final Button export = new Button("Export PNG...");
    private final VBox node;
    private double[] shown;

    TimestepWeightsView() {
        chart.setId("train-timestep-weights");
        chart.setAnimated(false);
        chart.setLegendVisible(false);
        chart.setCategoryGap(1);
        chart.setBarGap(0);
        chart.setMinHeight(150);
        chart.setPrefHeight(170);
        xAxis.setLabel("t (start of each range)");
        yAxis.setLabel("% of draws");
        yAxis.setForceZeroInRange(true);
        series.setName("p(t)");
        chart.getData().add(series);
        note.setId("train-timestep-note");
        note.setWrapText(true);
        export.setId("train-timestep-export");
        // the note keeps its explanation after a save; only a failure replaces it
        export.setOnAction(e -> Views.exportPng(export, "the timestep weights", "timestep-weights.png", this::exportPng, saved -> {
        }, note::setText));
        node = new VBox(4, chart, note, export);
        explain("No run yet: a run whose config samples t with \"loss-second-moment\" shows here which timesteps it practises.");
    }

    VBox node() {
        return node;
    }

    /** p(t) over every timestep of the run, or null for a run that samples t uniformly. */
    void show(double[] weights) {
        shown = weights;
        boolean has = weights != null && weights.length > 0;
        chart.setVisible(has);
        chart.setManaged(has);
        export.setDisable(!has);
        if (!has) {
            series.getData().clear();
            note.setText(UNIFORM_TEXT);
            return;
        }
        double[] bins = bin(weights, BINS);
        int n = weights.length;
        var data = new java.util.ArrayList<XYChart.Data<String, Number>>();
        for (int b = 0; b < bins.length; b++) data.add(new XYChart.Data<>(Integer.toString(b * n / bins.length), 100 * bins[b]));
        series.getData().setAll(data);
        int top = 0;
        for (int b = 1; b < bins.length; b++) if (bins[b] > bins[top]) top = b;
        note.setText(String.format(Locale.ROOT, "Uniform would be %.1f%% per bar. Most practised: t %d..%d (%.1f%%).",
                100.0 / bins.length, top * n / bins.length, (top + 1) * n / bins.length - 1, 100 * bins[top]));
    }

    /** The share of p(t) in each of {@code bins} equal ranges of t (the last range takes the remainder). */
    static double[] bin(double[] p, int bins) {
        int k = Math.min(bins, p.length);
        double[] out = new double[k];
        for (int t = 0; t < p.length; t++) out[(int) ((long) t * k / p.length)] += p[t];
        return out;
    }

    /** No histogram, and why (a followed run: its sampler lives in the process that trains it). */
    void explain(String why) {
        show(null);
        note.setText(why);
    }

    /** Bars shown (0 when the view says the run samples uniformly), for tests. */
    int bars() {
        return chart.isVisible() ? series.getData().size() : 0;
    }

    String noteText() {
        return note.getText();
    }

    double[] shown() {
        return shown;
    }

    /** Writes the chart as it is shown as a PNG. */
    void exportPng(Path file) throws IOException {
        PngWriter.write(chart.snapshot(new SnapshotParameters(), null), file);
    }
}
