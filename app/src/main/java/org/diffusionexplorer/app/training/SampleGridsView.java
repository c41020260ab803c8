package org.diffusionexplorer.app.training;

import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.view.Views;

/** The two grids of a sample step side by side: EMA weights and raw weights, from the same noise. */
final class SampleGridsView {
    private static final double SIZE = 150;
    private final ImageView ema = Views.pixelView(SIZE);
    private final ImageView raw = Views.pixelView(SIZE);
    private final Label step = new Label("No samples yet: the first grid comes after sample_interval steps.");
    private final VBox node;
    private long shownStep = -1;

    SampleGridsView() {
        ema.setId("train-grid-ema");
        raw.setId("train-grid-raw");
        step.setId("train-grid-step");
        step.getStyleClass().add("hint");
        VBox a = Views.captioned("EMA weights", Views.imageFrame(ema, SIZE), "The average of recent weights: steadier, a little behind.");
        VBox b = Views.captioned("raw weights", Views.imageFrame(raw, SIZE), "The weights the optimiser just updated, same noise.");
        for (VBox v : new VBox[] {a, b}) {
            v.setPrefWidth(SIZE + 40);
            v.setMaxWidth(SIZE + 40);
        }
        step.setWrapText(true);
        step.setMaxWidth(SIZE + 40);
        node = new VBox(8, a, b, step); // stacked: the chart beside them keeps the width
    }


    VBox node() {
        return node;
    }

    void show(SampleGrids g) {
        ema.setImage(g.ema().toFx());
        raw.setImage(g.raw() == null ? null : g.raw().toFx());
        shownStep = g.step();
        step.setText("Sampled at step " + g.step() + " (" + g.emaName() + " and raw), DDIM from the same noise.");
    }

    /** A grid the run's own process wrote to samples/ (EMA weights; that process draws no raw grid). */
    void showWritten(Image grid, long at) {
        ema.setImage(grid);
        raw.setImage(null);
        shownStep = at;
        step.setText("Written at step " + at + " by the process that trains the run (EMA weights; it draws no raw grid).");
    }

    void clear() {
        ema.setImage(null);
        raw.setImage(null);
        shownStep = -1;
        step.setText("No samples yet: the first grid comes after sample_interval steps.");
    }

    long shownStep() {
        return shownStep;
    }
}
