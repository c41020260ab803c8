package org.diffusionexplorer.app.shell;

import java.util.List;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.geometry.Bounds;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;

/**
 * A step-by-step tour of the panes: each step shows its pane, outlines the view to look at and puts a
 * callout beside it with Back, Next and Skip (Help > Guided tour replays it).
 */
public final class GuidedTour {
    /** One stop: the pane (its key), the view outlined (a CSS selector inside it) and what to say. */
    public record Step(String pane, String target, String title, String text) {
    }

    public static final List<Step> STEPS = List.of(
            new Step("embedding", "#embedding-heatmap", "How the network is told the time",
                    "Each row is one timestep t, each column one dimension of its sinusoidal embedding: fast waves "
                            + "on the left, slow ones on the right. Hover to read values; Space sweeps the yellow row through t."),
            new Step("architecture", "#unet-diagram", "The denoiser: a UNet",
                    "The image goes down the left (resolution halves, channels grow), through the middle and back up "
                            + "the right; purple arrows carry what the left saw across. Click a block for its layers and feature maps, "
                            + "an attention block and then a pixel for where that pixel looks."),
            new Step("noising", "#noise-images", "Noise, step by step",
                    "Drag t: x_t mixes the image with the same fixed noise, more of it as t grows. The curves show how "
                            + "much signal (alpha-bar) is left at each t under the linear and the cosine schedule."),
            new Step("training", "#train-loss-chart", "Teaching it to predict the noise",
                    "Choose the tiny preset and press Start: the loss falls within seconds, and every few steps grids "
                            + "sampled with the EMA and the raw weights appear. Pause and Step show one update at a time."),
            new Step("denoising", "#denoise-xt", "Running it backwards",
                    "Sample starts from seeded noise and calls the model once per step. x_t is shown beside the model's "
                            + "guess of x_0; the timeline and Play move through the frames."),
            new Step("likelihood", "#vb-chart", "Where the model is unsure",
                    "Measure asks how many bits per pixel the model needs for real digits at each t, and for the same "
                            + "digits with shuffled pixels: the gap is what it learned. Help > Guided tour replays this tour."));

    /** The narrowest the callout gets to fit beside a view (its text then wraps onto more lines). */
    private static final double MIN_WIDTH = 300;

    private final ExplorerShell shell;
    private final Overlay overlay;
    private final ReadOnlyIntegerWrapper step = new ReadOnlyIntegerWrapper(this, "step", -1);
    private final Rectangle spotlight = new Rectangle();
    private final VBox callout = new VBox(8);
    private final Label counter = new Label(), title = new Label(), text = new Label();
    private final Button back = new Button("Back"), next = new Button("Next"), skip = new Button("Skip tour");

    public GuidedTour(ExplorerShell shell) {
        this.shell = shell;
        this.overlay = shell.overlay();
        spotlight.getStyleClass().add("tour-spotlight");
        spotlight.setMouseTransparent(true);
        spotlight.setManaged(false);
        counter.getStyleClass().add("hint");
        counter.setId("tour-counter");
        title.getStyleClass().add("view-title");
        title.setId("tour-title");
        title.setWrapText(true); // classroom mode's type cut "How the network is told the time" short
        text.setWrapText(true);
        text.setId("tour-text");
        back.setId("tour-back");
        next.setId("tour-next");
        skip.setId("tour-skip");
        back.setOnAction(e -> go(step.get() - 1));
        next.setOnAction(e -> go(step.get() + 1));
        skip.setOnAction(e -> end());
        Region gap = new Region();
        HBox.setHgrow(gap, Priority.ALWAYS);
        for (Button b : new Button[] {skip, back, next}) b.setMinWidth(Region.USE_PREF_SIZE);
        HBox buttons = new HBox(8, skip, gap, back, next);
        buttons.setAlignment(Pos.CENTER_LEFT);
        callout.getChildren().addAll(counter, title, text, buttons);
        callout.getStyleClass().addAll("overlay-card", "tour-callout");
        callout.setId("tour-callout");
        // its width: .tour-callout in explorer.css, 27em
        callout.setManaged(false);
        overlay.widthProperty().addListener(o -> place());
        overlay.heightProperty().addListener(o -> place());
    }

    public void start() {
        go(0);
    }

    /** Ends the tour where it is (the pane stays). */
    public void end() {
        step.set(-1);
        overlay.remove(spotlight);
        overlay.remove(callout);
    }

    /** The step shown, -1 when the tour is not running. */
    public ReadOnlyIntegerProperty stepProperty() {
        return step.getReadOnlyProperty();
    }

    public boolean isRunning() {
        return step.get() >= 0;
    }

    /** Shows step i (past the last one ends the tour). */
    public void go(int i) {
        if (i < 0) return;
        if (i >= STEPS.size()) {
            end();
            return;
        }
        Step s = STEPS.get(i);
        step.set(i);
        shell.select(s.pane());
        counter.setText("Step " + (i + 1) + " of " + STEPS.size() + "  -  " + shell.current().title());
        title.setText(s.title());
        text.setText(s.text());
        back.setDisable(i == 0);
        next.setText(i == STEPS.size() - 1 ? "Finish" : "Next");
        overlay.add(spotlight);
        overlay.add(callout);
        overlay.layoutHost();
        place();
    }

    /** Outlines the step's view and puts the callout beside it, inside the window. */
    private void place() {
        if (!isRunning()) return;
        double w = overlay.getWidth(), h = overlay.getHeight(), m = 12;
        callout.applyCss();
        double cw = Math.min(callout.prefWidth(-1), w - 2 * m), ch = callout.prefHeight(cw);
        Node target = shell.root().lookup(STEPS.get(step.get()).target());
        Bounds b = target == null || target.getScene() == null ? null
                : overlay.sceneToLocal(target.localToScene(target.getLayoutBounds()));
        double x = (w - cw) / 2, y = (h - ch) / 2;
        if (b == null) {
            spotlight.setVisible(false);
        } else {
            double x0 = Math.max(2, b.getMinX() - 4), y0 = Math.max(2, b.getMinY() - 4);
            double x1 = Math.min(w - 2, b.getMaxX() + 4), y1 = Math.min(h - 2, b.getMaxY() + 4);
            spotlight.setX(x0);
            spotlight.setY(y0);
            spotlight.setWidth(Math.max(0, x1 - x0));
            spotlight.setHeight(Math.max(0, y1 - y0));
            spotlight.setVisible(true);
            double room = w - m - (x1 + m);
            if (room >= MIN_WIDTH) { // right of it, narrower if need be rather than over the view
                cw = Math.min(cw, room);
                ch = callout.prefHeight(cw);
                x = x1 + m;
                y = clamp(y0, m, h - ch - m);
            } else if (y1 + m + ch <= h - m) { // below
                x = clamp(x0, m, w - cw - m);
                y = y1 + m;
            } else if (x0 - m - cw >= m) { // left
                x = x0 - m - cw;
                y = clamp(y0, m, h - ch - m);
            } else { // a large view: inside its lower right corner
                x = clamp(x1 - cw - 2 * m, m, w - cw - m);
                y = clamp(y1 - ch - 2 * m, m, h - ch - m);
            }
        }
        callout.resizeRelocate(x, y, cw, ch);
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(v, Math.max(lo, hi)));
    }
}
