package org.diffusionexplorer.app.denoising;

import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javafx.beans.binding.BooleanExpression;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.app.view.PixelGrid;

/**
 * A walk between two starting noises: seed A's and seed B's x_T joined along the sphere, each point
 * sampled with DDIM (eta 0), so the ends are exactly what Sample draws with those seeds (DDIM, the same
 * steps, one image) and the middle shows how smoothly the model's output follows its input noise.
 */
final class InterpolateView extends ExperimentView<InterpolateView.Walk> {
    static final int MAX_IMAGES = 12;

    private final Supplier<DenoiserInfo> info;
    private final IntSupplier label;
    private final TextField seedA = field("interp-seed-a", "1", 70);
    private final TextField seedB = field("interp-seed-b", "2", 70);
    private final TextField count = field("interp-count", "8", 40);
    private final TextField steps = field("interp-steps", "25", 56);

    record Walk(long a, long b, int steps, List<ImageData> images) {}

    InterpolateView(AppContext ctx, Object owner, BooleanExpression modelReady, DenoisingModel model, Supplier<DenoiserInfo> info,
            IntSupplier label) {
        super("interp", "Interpolate between two starting noises", "Interpolate",
                "Left: what Sample draws from seed A (DDIM, these steps, one image); right: the same from seed B. Look for "
                        + "whether the images in between morph smoothly or jump from one digit to another.",
                ctx, owner, modelReady, model);
        this.info = info;
        this.label = label;
    }

    @Override
    protected Node[] settingsNodes() {
        return new Node[] {new Label("Seed A"), seedA, new Label("Seed B"), seedB, new Label("Images"), count, new Label("DDIM steps"), steps};
    }

    @Override
    protected Work<Walk> prepare() {
        DenoiserInfo m = info.get();
        if (m == null) throw new IllegalArgumentException("no model is open");
        long a = whole(seedA, "Seed A", 0, Integer.MAX_VALUE), b = whole(seedB, "Seed B", 0, Integer.MAX_VALUE);
        int n = (int) whole(count, "Images", 2, MAX_IMAGES);
        int s = (int) whole(steps, "DDIM steps", 1, m.diffusionSteps());
        int c = label.getAsInt();
        return (progress, stop) -> new Walk(a, b, s, model.interpolate(a, b, n, s, c, progress, stop));
    }

    @Override
    protected void show(Walk w) {
        int tile = w.images().get(0).height();
        PixelGrid strip = PixelGrid.row(w.images().stream().map(PixelGrid::image).toList(), 2);
        result.getChildren().setAll(labelled("seed " + w.a() + "  ->  seed " + w.b() + "   (DDIM " + w.steps() + " steps, eta 0)",
                pictures(strip, tile, 64), w.images().size() + " images; the starting noise turns along the sphere between the two seeds' noise"));
    }
}
