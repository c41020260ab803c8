package org.diffusionexplorer.app.denoising;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import javafx.beans.binding.BooleanExpression;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import org.diffusionexplorer.app.denoising.DenoisingRequest.Sampler;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.view.PixelGrid;

/**
 * Samplers side by side: the same seed (so the same starting noise x_T) and class through two or three
 * settings, each with its model calls and the time it took. The question it answers: how few steps
 * can we get away with, and what changes?
 */
final class CompareView extends ExperimentView<List<DenoisingModel.Compared>> {
    static final int SETTINGS = 3;
    static final int MAX_IMAGES = 4;
    private static final String OFF = "(none)";

    private final Supplier<DenoiserInfo> info;
    private final IntSupplier label;
    private final List<ComboBox<Object>> kinds = new ArrayList<>();
    private final List<TextField> steps = new ArrayList<>();
    private final TextField seed = field("compare-seed", "1", 70);
    private final TextField count = field("compare-count", "4", 40);

    CompareView(AppContext ctx, Object owner, BooleanExpression modelReady, DenoisingModel model, Supplier<DenoiserInfo> info,
            IntSupplier label) {
        super("compare", "Samplers side by side", "Compare",
                "The same starting noise and class through each setting. Look for how few steps still give the same "
                        + "digit, and what DDPM's fresh noise at every step changes against DDIM's deterministic path.",
                ctx, owner, modelReady, model);
        this.info = info;
        this.label = label;
    }

    @Override
    protected Node[] settingsNodes() {
        Object[][] defaults = {{Sampler.DDPM_FULL, "50"}, {Sampler.DDIM, "50"}, {Sampler.DDIM, "10"}};
        List<Node> nodes = new ArrayList<>(List.of(new Label("Seed"), seed, new Label("Images"), count));
        for (int i = 0; i < SETTINGS; i++) {
            ComboBox<Object> kind = new ComboBox<>();
            kind.setId("compare-kind-" + (i + 1));
            kind.getItems().addAll(Sampler.DDPM_FULL, Sampler.DDPM_RESPACED, Sampler.DDIM, OFF);
            kind.setValue(defaults[i][0]);
            TextField n = field("compare-steps-" + (i + 1), (String) defaults[i][1], 56);
            Label unit = new Label("steps");
            // every step needs no count, and an unused setting none either: the field goes rather than sit greyed out
            var counted = kind.valueProperty().isNotEqualTo(Sampler.DDPM_FULL).and(kind.valueProperty().isNotEqualTo(OFF));
            for (Node x : new Node[] {n, unit}) {
                x.visibleProperty().bind(counted);
                x.managedProperty().bind(counted);
            }
            kinds.add(kind);
            steps.add(n);
            HBox one = new HBox(6, new Label((i + 1) + "."), kind, n, unit);
            one.setAlignment(javafx.geometry.Pos.CENTER_LEFT);
            nodes.add(one);
        }
        return nodes.toArray(new Node[0]);
    }

    @Override
    protected Work<List<DenoisingModel.Compared>> prepare() {
        DenoiserInfo m = info.get();
        if (m == null) throw new IllegalArgumentException("no model is open");
        long s = whole(seed, "Seed", 0, Integer.MAX_VALUE);
        int n = (int) whole(count, "Images", 1, MAX_IMAGES);
        List<DenoisingRequest> requests = new ArrayList<>();
        for (int i = 0; i < SETTINGS; i++) {
            if (!(kinds.get(i).getValue() instanceof Sampler k)) continue;
            int st = k == Sampler.DDPM_FULL ? m.diffusionSteps() : (int) whole(steps.get(i), "setting " + (i + 1) + " steps", 1, m.diffusionSteps());
            requests.add(new DenoisingRequest(k, st, 0, s, n, label.getAsInt()));
        }
        if (requests.size() < 2) throw new IllegalArgumentException("choose at least two settings to compare");
        return (progress, stop) -> model.compare(requests, progress, stop);
    }

    @Override
    protected void show(List<DenoisingModel.Compared> all) {
        int full = info.get() == null ? 0 : info.get().diffusionSteps();
        List<Node> columns = new ArrayList<>();
        for (DenoisingModel.Compared c : all) {
            int tile = c.images().get(0).height();
            columns.add(labelled(c.request().describe(full), pictures(PixelGrid.tiles(c.images()), tile, 56),
                    String.format(Locale.ROOT, "%d model calls, %.1f s", c.calls(), c.seconds())));
        }
        result.getChildren().setAll(row(columns.toArray(new Node[0])));
    }
}
