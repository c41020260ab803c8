package org.diffusionexplorer.app.shell;

import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.util.Duration;
import org.controlsfx.control.StatusBar;
import org.diffusionexplorer.app.concurrent.Background;

/** The status bar: numeric backend and device (asked in the background), memory in use, busy indicator. */
public final class StatusPanel {
    private final StatusBar bar = new StatusBar();
    private final Label memory = new Label();
    private final AppContext ctx;

    /** The message bar also shows the backend's notice (e.g. a CUDA request that fell back to the CPU). */
    public StatusPanel(AppContext ctx) {
        this.ctx = ctx;
        Background background = ctx.background();
        bar.setId("status-bar");
        bar.setText("Numeric backend: loading...");
        memory.setId("status-memory");
        // A still label rather than a spinning indicator: an endless animation makes every frame a
        // repaint, and on a busy 2-core machine those repaints are what delays the FX thread.
        Label busy = new Label();
        busy.setId("status-busy");
        busy.textProperty().bind(javafx.beans.binding.Bindings.when(background.runningProperty().greaterThan(0))
                .then("Working in the background...").otherwise(""));
        bar.getRightItems().addAll(busy, memory);
        updateMemory();
        Timeline t = new Timeline(new KeyFrame(Duration.seconds(2), e -> updateMemory()));
        t.setCycleCount(Timeline.INDEFINITE);
        t.play();
        // Loading ND4J's natives takes seconds on first start: never on the FX thread.
        background.submit(Background.task("Loading the numeric backend", ctx::backend), info -> {
            bar.setText("Backend: " + info.summary() + (info.notice() != null ? " - " + info.notice() : ""));
            bar.setTooltip(new Tooltip(String.join("\n", info.lines())));
            if (info.notice() != null) ctx.messages().showInfo(info.notice());
        });
    }

    private void updateMemory() {
        Runtime r = Runtime.getRuntime();
        long heap = r.totalMemory() - r.freeMemory();
        long process = ctx.processBytes();
        memory.setText(String.format("Memory: heap %d MB%s", heap >> 20,
                process > 0 ? String.format(", process %d MB", process >> 20) : ""));
    }

    public Node node() {
        return bar;
    }
}
