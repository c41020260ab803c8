package org.diffusionexplorer.app.noising;

import javafx.scene.chart.LineChart;
import javafx.scene.chart.NumberAxis;
import javafx.scene.chart.XYChart;
import javafx.util.StringConverter;

/** alpha-bar and log-scale signal-to-noise over t for two schedules, with the current t marked. */
final class ScheduleCharts {
    final LineChart<Number, Number> alphaBar;
    final LineChart<Number, Number> snr;
    private final XYChart.Series<Number, Number> alphaMarker = new XYChart.Series<>();
    private final XYChart.Series<Number, Number> snrMarker = new XYChart.Series<>();
    private static final double SNR_MIN = -6, SNR_MAX = 5;

    ScheduleCharts(ScheduleCurves linear, ScheduleCurves cosine) {
        int steps = linear.steps();
        alphaBar = new LineChart<>(axis(steps, "timestep t"), new NumberAxis(0, 1.02, 0.2));
        alphaBar.setId("alpha-bar-chart");
        alphaBar.getYAxis().setLabel("alpha-bar");
        NumberAxis logAxis = new NumberAxis(SNR_MIN, SNR_MAX, 1);
        logAxis.setLabel("SNR");
        // The axis is linear in log10(SNR); label the ticks with the SNR itself.
        logAxis.setTickLabelFormatter(new StringConverter<>() {
            @Override
            public String toString(Number n) {
                int e = (int) Math.round(n.doubleValue());
                return e == 0 ? "1" : "1e" + e;
            }

            @Override
            public Number fromString(String s) {
                return 0;
            }
        });
        snr = new LineChart<>(axis(steps, "timestep t"), logAxis);
        snr.setId("snr-chart");
        for (LineChart<Number, Number> c : java.util.List.of(alphaBar, snr)) {
            c.setCreateSymbols(false);
            c.setAnimated(false);
            c.setPrefHeight(270);
            c.setMinHeight(260); // tall enough to keep the legend that says which curve is which
        }
        alphaBar.getData().addAll(series("linear", linear, false), series("cosine", cosine, false), alphaMarker);
        snr.getData().addAll(series("linear", linear, true), series("cosine", cosine, true), snrMarker);
        alphaMarker.setName("current t");
        snrMarker.setName("current t");
        for (XYChart.Series<Number, Number> m : java.util.List.of(alphaMarker, snrMarker)) {
            if (m.getNode() != null) m.getNode().getStyleClass().add("time-marker");
        }
    }

    private static NumberAxis axis(int steps, String label) {
        NumberAxis a = new NumberAxis(0, steps, steps / 10.0);
        a.setLabel(label);
        return a;
    }

    private static XYChart.Series<Number, Number> series(String name, ScheduleCurves c, boolean logSnr) {
        XYChart.Series<Number, Number> s = new XYChart.Series<>();
        s.setName(name);
        for (int t = 0; t < c.steps(); t += 4) s.getData().add(new XYChart.Data<>(t, value(c, t, logSnr)));
        int last = c.steps() - 1;
        s.getData().add(new XYChart.Data<>(last, value(c, last, logSnr)));
        return s;
    }

    private static double value(ScheduleCurves c, int t, boolean logSnr) {
        if (!logSnr) return c.alphasCumprod()[t];
        return Math.max(SNR_MIN, Math.min(SNR_MAX, Math.log10(c.snr(t))));
    }

    void mark(int t) {
        alphaMarker.getData().setAll(new XYChart.Data<>(t, 0), new XYChart.Data<>(t, 1.02));
        snrMarker.getData().setAll(new XYChart.Data<>(t, SNR_MIN), new XYChart.Data<>(t, SNR_MAX));
    }
}
