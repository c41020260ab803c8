package org.diffusionexplorer.app.architecture;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Pos;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Line;
import javafx.scene.shape.Polygon;
import javafx.scene.shape.Polyline;

/**
 * The U: input blocks down the left, the middle block at the bottom, output blocks up the right,
 * and a skip arrow from every input block to the output block that concatenates its output. Input
 * block i and output block N-1-i share a row, so each skip arrow is horizontal. A block's height
 * grows with its spatial size and its width with its channel count.
 */
public final class UNetDiagram extends Pane {
    static final double COL_W = 230, GAP = 102, MARGIN = 8, TOP = 48, ROW_H = 70;
    private final ObjectProperty<DiagramBlock> selected = new SimpleObjectProperty<>();
    private final Map<String, Node> blockNodes = new HashMap<>();

    public UNetDiagram() {
        getStyleClass().add("unet-diagram");
        setId("unet-diagram");
        selected.addListener((o, was, now) -> {
            if (was != null && blockNodes.containsKey(was.id())) blockNodes.get(was.id()).getStyleClass().remove("selected");
            if (now != null && blockNodes.containsKey(now.id())) blockNodes.get(now.id()).getStyleClass().add("selected");
        });
    }

    public ObjectProperty<DiagramBlock> selectedBlockProperty() {
        return selected;
    }

    public void setArchitecture(Architecture a) {
        getChildren().clear();
        blockNodes.clear();
        List<DiagramBlock> in = a.inputBlocks(), out = a.outputBlocks();
        int n = in.size();
        int c0 = a.config().modelChannels();
        double leftCx = MARGIN + COL_W / 2, rightCx = MARGIN + COL_W + GAP + COL_W / 2;
        double width = 2 * MARGIN + 2 * COL_W + GAP;

        header("input blocks (down)\nx: " + shape(in.get(0).inputShape()), MARGIN, 4);
        header("output blocks (up)\nout: " + shape(a.head().get(0).outputShape()), MARGIN + COL_W + GAP, 4);

        double[] inTop = new double[n], inBottom = new double[n], outTop = new double[n], outBottom = new double[n];
        double[] inRight = new double[n], outLeft = new double[n];
        for (int i = 0; i < n; i++) {
            double rowY = TOP + i * ROW_H;
            DiagramBlock b = in.get(i);
            Node box = block(b, c0);
            double[] wh = size(b, c0);
            box.relocate(leftCx - wh[0] / 2, rowY + (ROW_H - 12 - wh[1]) / 2);
            inTop[i] = rowY + (ROW_H - 12 - wh[1]) / 2;
            inBottom[i] = inTop[i] + wh[1];
            inRight[i] = leftCx + wh[0] / 2;
            getChildren().add(box);

            DiagramBlock o = out.get(n - 1 - i); // the output block on the same row
            Node obox = block(o, c0);
            double[] owh = size(o, c0);
            outTop[i] = rowY + (ROW_H - 12 - owh[1]) / 2;
            outBottom[i] = outTop[i] + owh[1];
            outLeft[i] = rightCx - owh[0] / 2;
            obox.relocate(outLeft[i], outTop[i]);
            getChildren().add(obox);
        }
        DiagramBlock m = a.middle();
        Node mid = block(m, c0);
        double[] mwh = size(m, c0);
        double midY = TOP + n * ROW_H + 10;
        double midX = width / 2 - mwh[0] / 2;
        mid.relocate(midX, midY);
        getChildren().add(mid);

        // Data flow: down the left, into the middle, up the right.
        for (int i = 0; i + 1 < n; i++) arrow("flow-arrow", leftCx, inBottom[i], leftCx, inTop[i + 1], null);
        polyArrow(leftCx, inBottom[n - 1], leftCx, midY + mwh[1] / 2, midX, midY + mwh[1] / 2);
        polyArrow(midX + mwh[0], midY + mwh[1] / 2, rightCx, midY + mwh[1] / 2, rightCx, outBottom[n - 1]);
        for (int i = n - 1; i > 0; i--) arrow("flow-arrow", rightCx, outTop[i], rightCx, outBottom[i - 1], null);

        // Skips: input block i -> output block N-1-i, on row i.
        for (DiagramBlock o : out) {
            int i = o.skipFrom();
            double y = TOP + i * ROW_H + (ROW_H - 12) / 2;
            String text = o.carriedChannels() + " + " + o.skipChannels() + " = " + o.inputShape()[1] + " ch";
            Group g = arrow("skip-arrow", inRight[i] + 2, y, outLeft[i] - 2, y, text);
            g.setId("skip-" + in.get(i).id() + "-" + o.id());
            g.getProperties().put("from", in.get(i).id());
            g.getProperties().put("to", o.id());
            g.getProperties().put("channels", new long[] {o.carriedChannels(), o.skipChannels()});
        }
        setPrefSize(width, midY + mwh[1] + MARGIN);
        setMinSize(width, midY + mwh[1] + MARGIN);
        selected.set(null);
    }

    private void header(String text, double x, double y) {
        Label l = new Label(text);
        l.getStyleClass().add("diagram-header");
        l.relocate(x, y);
        getChildren().add(l);
    }

    private static double[] size(DiagramBlock b, int c0) {
        double w = 204 + 10 * log2(b.outputShape()[1] / (double) c0);
        double h = 48 + 2 * log2(b.outputShape()[2]);
        return new double[] {b.section() == DiagramBlock.Section.MIDDLE ? w + 80 : Math.min(COL_W, w), h};
    }

    private Node block(DiagramBlock b, int c0) {
        // the kind has a line of its own: "ResBlock+attn+Upsample" after the id did not fit a block's width
        Label kind = new Label(b.kind().replace(" + ", "+").replace("attention", "attn"));
        kind.getStyleClass().add("block-kind");
        Label id = new Label(b.id());
        id.getStyleClass().add("block-id");
        Label shape = new Label(shape(b.outputShape()));
        shape.setId("shape-" + b.id());
        Label params = new Label(String.format("%,d params", b.paramCount()));
        VBox box = new VBox(0, kind, new HBox(6, id, shape), params);
        box.setAlignment(Pos.CENTER_LEFT);
        double[] wh = size(b, c0);
        box.setPrefSize(wh[0], wh[1]);
        box.setMinSize(wh[0], wh[1]);
        box.setMaxSize(wh[0], wh[1]);
        box.getStyleClass().addAll("block", b.section().name().toLowerCase());
        box.setId("block-" + b.id());
        box.setUserData(b);
        box.setOnMouseClicked(e -> selected.set(b));
        blockNodes.put(b.id(), box);
        return box;
    }

    private Group arrow(String style, double x1, double y1, double x2, double y2, String label) {
        Line line = new Line(x1, y1, x2, y2);
        line.getStyleClass().add(style);
        double ang = Math.atan2(y2 - y1, x2 - x1), len = 8;
        Polygon head = new Polygon(x2, y2, x2 - len * Math.cos(ang - 0.4), y2 - len * Math.sin(ang - 0.4),
                x2 - len * Math.cos(ang + 0.4), y2 - len * Math.sin(ang + 0.4));
        head.getStyleClass().addAll(style, "arrow-head");
        Group g = new Group(line, head);
        if (label != null) {
            Label l = new Label(label);
            l.getStyleClass().add("skip-label");
            l.relocate(Math.min(x1, x2) + 6, y1 - 18);
            g.getChildren().add(l);
        }
        g.setMouseTransparent(true);
        getChildren().add(0, g); // behind the blocks
        return g;
    }

    private void polyArrow(double... xy) {
        Polyline p = new Polyline(Arrays.copyOf(xy, xy.length - 2));
        p.getPoints().addAll(xy[xy.length - 2], xy[xy.length - 1]);
        p.getStyleClass().add("flow-arrow");
        p.getStyleClass().add("flow-path");
        p.setMouseTransparent(true);
        getChildren().add(0, p);
        int k = xy.length;
        arrow("flow-arrow", xy[k - 4], xy[k - 3], xy[k - 2], xy[k - 1], null);
    }

    static String shape(long[] s) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < s.length; i++) b.append(i == 0 ? "" : ", ").append(s[i]);
        return b.append(']').toString();
    }

    private static double log2(double v) {
        return Math.log(Math.max(v, 1e-9)) / Math.log(2);
    }
}
