package org.diffusionexplorer.app.training;

import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.train.TrainingProgress;

/** Step, progress bar, speed, time left, memory and backend of the run, as plain labels. */
final class RunStats {
    private final Label step = value("train-step-count", "no run yet");
    private final ProgressBar bar = new ProgressBar(0);
    private final Label speed = value("train-speed", "-");
    private final Label eta = value("train-eta", "-");
    private final Label memory = value("train-memory", "-");
    private final Label backend = value("train-backend", "loading...");
    private final Label status = value("train-status", "Choose data and a preset, then Start.");
    private final Label folder = value("train-folder", "-");
    private final VBox node;

    RunStats() {
        bar.setId("train-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(4);
        grid.addRow(0, key("Step"), step);
        grid.addRow(1, key("Speed"), speed);
        grid.addRow(2, key("Time left"), eta);
        grid.addRow(3, key("Memory"), memory);
        grid.addRow(4, key("Backend"), backend);
        grid.addRow(5, key("Run folder"), folder);
        for (Label l : new Label[] {step, speed, eta, memory, backend, folder}) GridPane.setHgrow(l, Priority.ALWAYS);
        status.setWrapText(true);
        status.getStyleClass().add("run-status");
        node = new VBox(6, bar, grid, status);
    }

    private static Label value(String id, String text) {
        Label l = new Label(text);
        l.setId(id);
        l.setWrapText(true);
        return l;
    }

    private static Label key(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("stat-key");
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE); // keys whole, values wrap
        return l;
    }

    VBox node() {
        return node;
    }

    void progress(TrainingProgress p) {
        boolean budget = p.budgetSeconds() > 0;
        step.setText(budget && p.targetStep() >= TrainingRuns.LESSON_STEPS ? String.format(Locale.ROOT, "%,d", p.step())
                : String.format(Locale.ROOT, "%,d / %,d", p.step(), p.targetStep()));
        bar.setProgress(p.fraction());
        speed.setText(Double.isFinite(p.imagesPerSecond()) ? String.format(Locale.ROOT, "%.1f images/s", p.imagesPerSecond()) : "-");
        eta.setText(budget ? duration(p.etaSeconds()) + " of " + duration(p.budgetSeconds()) : duration(p.etaSeconds()));
    }

    void at(long s, long target) {
        progress(new TrainingProgress(s, target, Double.NaN, Double.NaN));
    }

    /** A followed run: the step it has written so far (its target is the other process's to know). */
    void followed(long s, boolean writing) {
        step.setText(String.format(Locale.ROOT, "%,d (followed)", s));
        bar.setProgress(writing ? ProgressBar.INDETERMINATE_PROGRESS : 1);
        speed.setText("-");
        eta.setText("-");
    }

    void memory(long bytes) {
        Runtime r = Runtime.getRuntime();
        long heap = r.totalMemory() - r.freeMemory();
        memory.setText(bytes > 0 ? String.format(Locale.ROOT, "%,d MB (heap %,d MB)", bytes >> 20, heap >> 20)
                : String.format(Locale.ROOT, "Java heap %,d MB", heap >> 20));
    }

    void backend(String text) {
        backend.setText(text);
    }

    void status(String text) {
        status.setText(text);
    }

    void folder(String text) {
        folder.setText(text);
    }

    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "-";
        long s = Math.round(seconds);
        if (s >= 3600) return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
        if (s >= 60) return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        return s + " s";
    }
}
