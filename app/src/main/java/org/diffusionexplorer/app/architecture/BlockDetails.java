package org.diffusionexplorer.app.architecture;

import javafx.scene.control.Label;
import javafx.scene.image.ImageView;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.app.view.Images;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.nn.ParamSpec;

/** The selected block: its layers under the reference's names with shapes, and its feature maps. */
public final class BlockDetails extends VBox {
    /** Channels shown as thumbnails; more would be too small to read. */
    static final int MAX_THUMBNAILS = 16;
    private final Label title = new Label("Click a block in the diagram");
    private final Label io = new Label();
    private final VBox layers = new VBox(6);
    private final TilePane tiles = new TilePane(4, 4);
    private final Label mapsInfo = new Label();
    private DiagramBlock block;
    private FeatureMaps maps;

    public BlockDetails() {
        setId("block-details");
        setSpacing(8);
        title.getStyleClass().add("view-title");
        title.setId("block-title");
        title.setWrapText(true);
        io.setWrapText(true);
        io.getStyleClass().add("caption");
        layers.setId("block-layers");
        tiles.setId("fm-tiles");
        tiles.setPrefColumns(4);
        mapsInfo.setId("fm-info");
        mapsInfo.setWrapText(true);
        mapsInfo.getStyleClass().add("caption");
        getChildren().addAll(title, io, layers, mapsInfo, tiles);
    }

    public void setBlock(DiagramBlock b) {
        block = b;
        layers.getChildren().clear();
        if (b == null) {
            title.setText("Click a block in the diagram");
            io.setText("");
            renderMaps();
            return;
        }
        title.setText(b.id() + " (" + b.prefix() + "): " + b.kind());
        String text = "in " + UNetDiagram.shape(b.inputShape()) + "  ->  out " + UNetDiagram.shape(b.outputShape())
                + String.format(",  %,d parameters", b.paramCount());
        if (b.skipFrom() >= 0) {
            text += String.format("%nIts input is the block below (%d channels) concatenated with the output of down_%02d "
                    + "(%d channels): %d channels.", b.carriedChannels(), b.skipFrom(), b.skipChannels(), b.inputShape()[1]);
        }
        io.setText(text);
        for (DiagramBlock.Part l : b.layers()) {
            Label name = new Label(l.name() + "  ->  " + UNetDiagram.shape(l.outputShape())
                    + (l.paramCount() > 0 ? String.format("   (%,d params)", l.paramCount()) : ""));
            name.getStyleClass().add("view-title");
            name.setWrapText(true); // "(74,048 params)" was cut off at the panel's width
            Label what = new Label(l.description());
            what.setWrapText(true);
            StringBuilder ps = new StringBuilder();
            for (ParamSpec p : l.params()) ps.append(ps.length() == 0 ? "" : "\n").append(p.name()).append(' ').append(java.util.Arrays.toString(p.shape()));
            Label params = new Label(ps.toString());
            params.getStyleClass().add("details-layer");
            params.setWrapText(true);
            VBox one = new VBox(1, name, what);
            if (!l.params().isEmpty()) one.getChildren().add(params);
            layers.getChildren().add(one);
        }
        renderMaps();
    }

    public void setFeatureMaps(FeatureMaps m) {
        maps = m;
        renderMaps();
    }

    /** A note in place of the thumbnails (computing, or why there are none). */
    public void setMapsNote(String note) {
        mapsInfo.setText(note);
    }

    private void renderMaps() {
        tiles.getChildren().clear();
        if (block == null || maps == null) return;
        ImageData a = maps.byBlock().get(block.id());
        if (a == null) return;
        int shown = Math.min(MAX_THUMBNAILS, a.channels());
        mapsInfo.setText(String.format("Feature maps at t = %d: the first %d of %d channels, %dx%d each "
                + "(blue negative, red positive, each scaled to its own range; untrained seeded weights).",
                maps.timestep(), shown, a.channels(), a.height(), a.width()));
        for (int c = 0; c < shown; c++) {
            ImageView v = Views.pixelView(80);
            v.setImage(Images.channel(a, c));
            tiles.getChildren().add(v);
        }
    }

    public int thumbnailCount() {
        return tiles.getChildren().size();
    }
}
