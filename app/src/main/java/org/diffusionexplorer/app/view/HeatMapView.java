package org.diffusionexplorer.app.view;

import java.util.function.BiFunction;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.Region;
import javafx.scene.shape.Rectangle;

/**
 * An image of a matrix stretched to fill the region, one matrix entry per image pixel, with an
 * optional highlighted row and a hover text produced from (row, column) by the owner.
 */
public final class HeatMapView extends Region {
    private final ImageView view = new ImageView();
    private final Rectangle highlight = new Rectangle();
    private final ObjectProperty<Image> image = new SimpleObjectProperty<>();
    private final IntegerProperty highlightedRow = new SimpleIntegerProperty(-1);
    private final StringProperty hoverText = new SimpleStringProperty("");
    private BiFunction<Integer, Integer, String> describe = (r, c) -> "";

    public HeatMapView(double prefWidth, double prefHeight) {
        getStyleClass().add("heat-map");
        view.setSmooth(false);
        view.setPreserveRatio(false);
        view.imageProperty().bind(image);
        highlight.getStyleClass().add("row-highlight");
        highlight.setMouseTransparent(true);
        highlight.visibleProperty().bind(highlightedRow.greaterThanOrEqualTo(0).and(image.isNotNull()));
        getChildren().addAll(view, highlight);
        setPrefSize(prefWidth, prefHeight);
        setMinSize(120, 120);
        highlightedRow.addListener((o, a, b) -> requestLayout());
        image.addListener((o, a, b) -> requestLayout());
        setOnMouseMoved(e -> {
            Image im = image.get();
            if (im == null) return;
            int c = (int) Math.floor(e.getX() / getWidth() * im.getWidth());
            int r = (int) Math.floor(e.getY() / getHeight() * im.getHeight());
            if (r >= 0 && c >= 0 && r < im.getHeight() && c < im.getWidth()) hoverText.set(describe.apply(r, c));
        });
        setOnMouseExited(e -> hoverText.set(""));
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth(), h = getHeight();
        view.setFitWidth(w);
        view.setFitHeight(h);
        view.relocate(0, 0);
        Image im = image.get();
        if (im != null && highlightedRow.get() >= 0) {
            double rowH = h / im.getHeight();
            double thick = Math.max(3, rowH);
            highlight.setX(-2);
            highlight.setWidth(w + 4);
            highlight.setY((highlightedRow.get() + 0.5) * rowH - thick / 2);
            highlight.setHeight(thick);
        }
    }

    public ObjectProperty<Image> imageProperty() {
        return image;
    }

    public IntegerProperty highlightedRowProperty() {
        return highlightedRow;
    }

    public StringProperty hoverTextProperty() {
        return hoverText;
    }

    public void setDescriber(BiFunction<Integer, Integer, String> f) {
        describe = f;
    }
}
