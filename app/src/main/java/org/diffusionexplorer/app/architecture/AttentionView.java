package org.diffusionexplorer.app.architecture;

import java.io.IOException;
import java.nio.file.Path;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.TilePane;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.app.view.Images;
import org.diffusionexplorer.app.view.PngWriter;
import org.diffusionexplorer.app.view.Views;

/**
 * "Attention, seen" (issue 17 part 6): for the selected attention block, click a pixel of the input
 * and see, per head, the softmax weights of the query position under it over the block's grid,
 * upsampled over the input (red = attended, scaled to the head's largest weight; the cyan square is
 * the query's cell).
 */
public final class AttentionView extends VBox {
    static final double SIZE = 128;
    private static final int QUERY_ARGB = 0xff00e5ff;

    private final Label title = new Label("Attention");
    private final Label note = new Label();
    private final ImageView input = Views.pixelView(SIZE);
    private final TilePane heads = new TilePane(6, 6);
    private final VBox panel = new VBox(6);
    private final ProgressIndicator busy = new ProgressIndicator();
    private final Button cancel = new Button("Cancel");
    private final Button export = new Button("Export attention as PNG...");
    private final BooleanProperty computing = new SimpleBooleanProperty(false);
    private AttentionMaps maps;
    private AttentionMaps.Heads shown;
    private int queryY, queryX;

    public AttentionView() {
        setId("attention-view");
        setSpacing(6);
        title.getStyleClass().add("view-title");
        note.setId("attention-note");
        note.setWrapText(true);
        note.getStyleClass().add("caption");
        input.setId("attention-input");
        input.setPickOnBounds(true);
        input.setOnMouseClicked(e -> {
            if (maps == null) return;
            int s = maps.input().height();
            select((int) Math.min(s - 1, Math.max(0, e.getY() / SIZE * s)), (int) Math.min(s - 1, Math.max(0, e.getX() / SIZE * s)));
        });
        heads.setId("attention-heads");
        heads.setPrefColumns(2);
        busy.setPrefSize(24, 24);
        busy.visibleProperty().bind(computing);
        busy.managedProperty().bind(computing);
        cancel.setId("attention-cancel");
        cancel.visibleProperty().bind(computing);
        cancel.managedProperty().bind(computing);
        export.setId("attention-export");
        export.setDisable(true);
        HBox top = new HBox(8, title, busy, cancel);
        top.setAlignment(Pos.CENTER_LEFT);
        Label caption = new Label("Click a pixel of the input: each head's tile shows how much that position attends to every "
                + "position of the block's grid (red = much, scaled to the head's largest weight; the weights of a query sum to 1).");
        caption.setWrapText(true);
        caption.getStyleClass().add("caption");
        HBox inputRow = new HBox(8, input, caption);
        panel.setId("attention-panel");
        panel.getChildren().addAll(inputRow, heads);
        getChildren().addAll(top, note, panel, export);
        setBlock(null);
    }

    /** Cancel's action, set by the pane that runs the task. */
    public Button cancelButton() {
        return cancel;
    }

    public Button exportButton() {
        return export;
    }

    public BooleanProperty computingProperty() {
        return computing;
    }

    /** No attention for this block (null block or no attention layer): the view hides. */
    public void setBlock(String kind) {
        boolean on = kind != null && kind.contains("attention");
        setVisible(on);
        setManaged(on);
        if (!on) clear("");
    }

    /** A note in place of the maps (computing, failed, cancelled). */
    public void clear(String why) {
        maps = null;
        shown = null;
        heads.getChildren().clear();
        input.setImage(null);
        export.setDisable(true);
        note.setText(why);
    }

    /** Shows the block {@code prefix}'s heads of these maps, the query at the image's centre until a click. */
    public void setMaps(AttentionMaps m, String prefix) {
        AttentionMaps.Heads h = m.byBlock().get(prefix);
        if (h == null) {
            clear("This block has no attention layer.");
            return;
        }
        maps = m;
        shown = h;
        export.setDisable(false);
        input.setImage(Images.fromModel(m.input()));
        int s = m.input().height();
        select(s / 2, s / 2);
    }

    /** Shows where input pixel (y, x) attends: the query is the grid cell holding it. */
    public void select(int y, int x) {
        if (maps == null) return;
        queryY = y;
        queryX = x;
        int s = maps.input().height(), g = shown.size();
        int qy = y * g / s, qx = x * g / s;
        note.setText(String.format("t = %d, the same untrained seeded weights as the feature maps: %d head(s) over the %dx%d grid; "
                + "query pixel (%d, %d) is cell (%d, %d).", maps.timestep(),
                shown.heads(), g, g, y, x, qy, qx));
        heads.getChildren().clear();
        for (int h = 0; h < shown.heads(); h++) {
            ImageView v = Views.pixelView(SIZE);
            v.setImage(heat(maps.input(), shown.row(h, qy, qx), g, qy, qx));
            Label l = new Label("head " + (h + 1));
            VBox tile = new VBox(2, v, l);
            tile.setId("attention-head-" + h);
            heads.getChildren().add(tile);
        }
    }

    /** The input in grey with the weights (over a g x g grid, nearest-upsampled) in red and the query's cell outlined. */
    static WritableImage heat(ImageData in, double[] w, int g, int qy, int qx) {
        int s = in.height();
        double max = 1e-30;
        for (double v : w) max = Math.max(max, v);
        WritableImage out = new WritableImage(s, s);
        PixelWriter pw = out.getPixelWriter();
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int cy = y * g / s, cx = x * g / s;
                double grey = 0;
                for (int c = 0; c < in.channels(); c++) grey += in.get(c, y, x);
                grey = (Math.max(-1, Math.min(1, grey / in.channels())) + 1) / 2 * 0.6; // dimmed so the red reads
                double a = w[cy * g + cx] / max;
                int r = (int) Math.round(255 * (grey + (1 - grey) * a));
                int gb = (int) Math.round(255 * grey * (1 - a));
                boolean edge = cy == qy && cx == qx && (y == 0 || x == 0 || y == s - 1 || x == s - 1
                        || (y - 1) * g / s != cy || (y + 1) * g / s != cy || (x - 1) * g / s != cx || (x + 1) * g / s != cx);
                pw.setArgb(x, y, edge ? QUERY_ARGB : 0xff000000 | (r << 16) | (gb << 8) | gb);
            }
        }
        return out;
    }

    /** The weights shown for one head (the selected query's softmax row). */
    public double[] shownRow(int head) {
        int s = maps.input().height(), g = shown.size();
        return shown.row(head, queryY * g / s, queryX * g / s);
    }

    public int headCount() {
        return heads.getChildren().size();
    }

    public AttentionMaps maps() {
        return maps;
    }

    /** Writes the input and the heads' tiles as a PNG (FX thread). */
    public void exportPng(Path file) throws IOException {
        PngWriter.write(panel.snapshot(null, null), file);
    }
}
