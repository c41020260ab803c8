package org.diffusionexplorer.app.training;

import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.model.SampleGrids;
import org.diffusionexplorer.app.view.Images;
import org.diffusionexplorer.app.view.Views;

/** The two grids of a sample step side by side: EMA weights and raw weights, from the same noise. */
final class SampleGridsView {
    private static final double SIZE = 210;
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
        VBox a = Views.captioned("EMA weights", frame(ema),
                "Samples from the moving average of the weights, the ones the run keeps for sampling: smoother, they lag a little.");
        VBox b = Views.captioned("raw weights", frame(raw),
                "The same noise through the weights the optimiser just updated: they jump from step to step.");
        for (VBox v : new VBox[] {a, b}) {
            v.setPrefWidth(SIZE + 30);
            v.setMaxWidth(SIZE + 60);
        }
        node = new VBox(6, new HBox(12, a, b), step);
    }

    private static VBox frame(ImageView v) {
        VBox f = new VBox(v);
        f.getStyleClass().add("image-frame");
        f.setMinSize(SIZE + 2, SIZE + 2);
        f.setMaxSize(SIZE + 2, SIZE + 2);
        return f;
    }

    VBox node() {
        return node;
    }

    void show(SampleGrids g) {
        ema.setImage(Images.fromModel(g.ema()));
        raw.setImage(Images.fromModel(g.raw()));
        shownStep = g.step();
        step.setText("Sampled at step " + g.step() + " (" + g.emaName() + " and raw), DDIM from the same noise.");
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
