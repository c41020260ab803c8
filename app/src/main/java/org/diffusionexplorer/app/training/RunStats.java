package org.diffusionexplorer.app.training;

import java.util.Locale;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.train.TrainingProgress;

/** Step, progress bar, speed, time left, memory and backend of the run, as plain labels. */
final class RunStats {
    private final Label step = Views.statValue("train-step-count", "no run yet");
    private final ProgressBar bar = new ProgressBar(0);
    private final Label speed = Views.statValue("train-speed", "-");
    private final Label eta = Views.statValue("train-eta", "-");
    private final Label memory = Views.statValue("train-memory", "-");
    private final Label backend = Views.statValue("train-backend", "loading...");
    private final Label status = Views.statValue("train-status", "Choose data and a preset, then Start.");
    private final Label folder = Views.statValue("train-folder", "-");
    private final VBox node;

    RunStats() {
        bar.setId("train-progress");
        bar.setMaxWidth(Double.MAX_VALUE);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(4);
        Views.statRow(grid, 0, "Step", step);
        Views.statRow(grid, 1, "Speed", speed);
        Views.statRow(grid, 2, "Time left", eta);
        Views.statRow(grid, 3, "Memory", memory);
        Views.statRow(grid, 4, "Backend", backend);
        Views.statRow(grid, 5, "Run folder", folder);
        for (Label l : new Label[] {step, speed, eta, memory, backend, folder}) GridPane.setHgrow(l, Priority.ALWAYS);
        status.setWrapText(true);
        status.getStyleClass().add("run-status");
        node = new VBox(6, bar, grid, status);
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
