package org.diffusionexplorer.app.denoising;

import java.util.List;
import java.util.function.Supplier;
import javafx.beans.binding.BooleanExpression;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.app.view.PixelGrid;

/**
 * Fork from here: the frame shown on the timeline is taken as it is, and the rest of the reverse
 * process is run K times from its x_t with fresh noise (DDPM over the same timesteps). Early forks give
 * different digits, late forks the same digit with different strokes: coarse to fine, seen.
 */
final class ForkView extends ExperimentView<ForkView.Forks> {
    static final int MAX_FORKS = 8;

    private final Supplier<RenderedFrame> shown;
    private final Supplier<DenoisingRequest> run;
    private final TextField forks = field("fork-count", "6", 40);
    private final TextField image = field("fork-image", "1", 40);
    private final TextField seed = field("fork-seed", "100", 70);

    record Forks(RenderedFrame from, int image, List<ImageData> images) {}

    ForkView(AppContext ctx, Object owner, BooleanExpression modelReady, DenoisingModel model, Supplier<RenderedFrame> shown,
            Supplier<DenoisingRequest> run) {
        super("fork", "Fork from here", "Fork",
                "Pick a frame on the timeline: the rest of the process runs again from its x_t with fresh noise. Look for "
                        + "other shapes from early frames (other digits when no class is asked) and the same digit with other strokes from late ones.",
                ctx, owner, modelReady, model);
        this.shown = shown;
        this.run = run;
    }

    @Override
    protected Node[] settingsNodes() {
        return new Node[] {new Label("Forks"), forks, new Label("of image"), image, new Label("Seed"), seed,
            org.diffusionexplorer.app.view.Views.hint("from the frame shown on the timeline")};
    }

    @Override
    protected Work<Forks> prepare() {
        RenderedFrame f = shown.get();
        DenoisingRequest r = run.get();
        if (f == null || r == null) throw new IllegalArgumentException("press Sample first, then pick a frame on the timeline");
        if (f.frame().isFinal()) throw new IllegalArgumentException("the finished samples have no steps left: pick an earlier frame on the timeline");
        int k = (int) whole(forks, "Forks", 1, MAX_FORKS);
        int i = (int) whole(image, "of image", 1, f.frame().xt().size()) - 1;
        long s = whole(seed, "Seed", 0, Integer.MAX_VALUE);
        return (progress, stop) -> new Forks(f, i, model.fork(r, f.frame(), i, k, s, progress, stop));
    }

    @Override
    protected void show(Forks fk) {
        ImageData start = fk.from().frame().xt().get(fk.image());
        int tile = start.height();
        PixelGrid row = PixelGrid.row(fk.images().stream().map(PixelGrid::image).toList(), 2);
        result.getChildren().setAll(row(
                labelled("x_t at " + fk.from().describe(), pictures(PixelGrid.image(start), tile, 64), "image " + (fk.image() + 1)),
                labelled(fk.images().size() + " forks (DDPM, fresh noise)", pictures(row, tile, 64),
                        (fk.from().frame().steps() - fk.from().frame().step()) + " model calls each")));
    }
}
