package org.diffusionexplorer.app.training;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import org.diffusionexplorer.train.LossPoint;

/**
 * The loss over steps: every step's loss (thin, noisy), its smoothed trend, and the smoothed loss of
 * each quarter of the timesteps (small t, where the noise is faint and hard to name, costs most).
 * Each line keeps at most {@link #MAX_POINTS} points: when one grows past that, every second old
 * point is dropped, so a long run shows its whole history at a coarser grain and memory stays flat.
 */
final class LossChart {
    static final int MAX_POINTS = 2000;
    /** weight of the past in the smoothed lines; 0.95 averages over roughly the last 20 steps */
    private static final double SMOOTHING = 0.95;
    private static final String[] QUARTER_NAMES = {"t in Q1 (least noise)", "Q2", "Q3", "Q4 (most noise)"};

    private final NumberAxis xAxis = new NumberAxis();
    private final NumberAxis yAxis = new NumberAxis();
    private final LineChart<Number, Number> chart = new LineChart<>(xAxis, yAxis);
    private final XYChart.Series<Number, Number> raw = series("each step");
    private final XYChart.Series<Number, Number> smooth = series("trend");
    private final List<XYChart.Series<Number, Number>> quarters = new ArrayList<>();
    private Smoother lossTrend = new Smoother();
    private Smoother[] quarterTrend = newSmoothers();
    private boolean quartersShown = true;

    LossChart() {
        chart.setId("train-loss-chart");
        chart.getStyleClass().add("loss-chart");
        chart.setCreateSymbols(false);
        chart.setAnimated(false);
        // points arrive in step order: sorting them on every layout pass would only cost time
        chart.setAxisSortingPolicy(LineChart.SortingPolicy.NONE);
        xAxis.setLabel("step");
        xAxis.setForceZeroInRange(false);
        yAxis.setLabel("loss");
        chart.getData().add(raw);
        chart.getData().add(smooth);
        for (String n : QUARTER_NAMES) {
            XYChart.Series<Number, Number> s = series(n);
            quarters.add(s);
            chart.getData().add(s);
        }
        chart.setMinHeight(230);
        chart.setPrefHeight(250);
    }

    private static XYChart.Series<Number, Number> series(String name) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        return s;
    }

    private static Smoother[] newSmoothers() {
        return new Smoother[] {new Smoother(), new Smoother(), new Smoother(), new Smoother()};
    }

    LineChart<Number, Number> node() {
        return chart;
    }

    void clear() {
        raw.getData().clear();
        smooth.getData().clear();
        for (XYChart.Series<Number, Number> q : quarters) q.getData().clear();
        lossTrend = new Smoother();
        quarterTrend = newSmoothers();
    }

    /** Appends points in step order; one list change per line, so the chart lays out once per batch. */
    void add(List<LossPoint> points) {
        int stride = Math.max(1, points.size() / MAX_POINTS); // a long history read from metrics.csv
        List<XYChart.Data<Number, Number>> r = new ArrayList<>(), s = new ArrayList<>();
        List<List<XYChart.Data<Number, Number>>> q = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int i = 0; i < points.size(); i++) {
            LossPoint p = points.get(i);
            boolean keep = i % stride == 0 || i == points.size() - 1;
            double trend = lossTrend.add(p.loss());
            if (keep && Double.isFinite(p.loss())) {
                r.add(new XYChart.Data<>(p.step(), p.loss()));
                s.add(new XYChart.Data<>(p.step(), trend));
            }
            for (int k = 0; k < 4; k++) {
                double v = quarterTrend[k].add(p.lossQ()[k]);
                if (keep && Double.isFinite(p.lossQ()[k])) q.get(k).add(new XYChart.Data<>(p.step(), v));
            }
        }
        append(raw, r);
        append(smooth, s);
        for (int k = 0; k < 4; k++) append(quarters.get(k), q.get(k));
    }

    private static void append(XYChart.Series<Number, Number> series, List<XYChart.Data<Number, Number>> pts) {
        if (pts.isEmpty()) return;
        javafx.collections.ObservableList<XYChart.Data<Number, Number>> data = series.getData();
        if (data.size() + pts.size() <= MAX_POINTS) {
            data.addAll(pts);
            return;
        }
        List<XYChart.Data<Number, Number>> all = new ArrayList<>(data);
        all.addAll(pts);
        while (all.size() > MAX_POINTS) {
            List<XYChart.Data<Number, Number>> half = new ArrayList<>(all.size() / 2 + 1);
            for (int i = 0; i < all.size(); i += 2) half.add(all.get(i));
            if (!half.get(half.size() - 1).equals(all.get(all.size() - 1))) half.add(all.get(all.size() - 1)); // the newest stays
            all = half;
        }
        // New items, not the kept ones: JavaFX's chart does not draw a data item that was removed from a
        // series and added back, so reusing them drew only what came after the first thinning.
        List<XYChart.Data<Number, Number>> fresh = new ArrayList<>(all.size());
        for (XYChart.Data<Number, Number> d : all) fresh.add(new XYChart.Data<>(d.getXValue(), d.getYValue()));
        data.setAll(fresh);
    }

    void showQuarters(boolean on) {
        quartersShown = on;
        for (XYChart.Series<Number, Number> s : quarters) {
            if (s.getNode() != null) s.getNode().setVisible(on);
        }
    }

    boolean quartersShown() {
        return quartersShown;
    }

    /** Points on the per-step loss line (for tests and the caption). */
    int rawPoints() {
        return raw.getData().size();
    }

    int quarterPoints(int k) {
        return quarters.get(k).getData().size();
    }

    /** A bias-corrected exponential average (as TensorBoard smooths), NaNs skipped. */
    private static final class Smoother {
        private double sum;
        private double weight;
        private double last = Double.NaN;

        double add(double v) {
            if (Double.isFinite(v)) {
                sum = SMOOTHING * sum + (1 - SMOOTHING) * v;
                weight = SMOOTHING * weight + (1 - SMOOTHING);
                last = sum / weight;
            }
            return last;
        }
    }
}
