package org.diffusionexplorer.app.view;

import javafx.geometry.Pos;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.paint.CycleMethod;
import javafx.scene.paint.LinearGradient;
import javafx.scene.paint.Stop;
import javafx.scene.layout.Background;
import javafx.scene.layout.BackgroundFill;

/** A horizontal bar of the diverging colour map with its end and middle values. */
public final class ColorLegend extends VBox {
    public ColorLegend(String low, String mid, String high) {
        Stop[] stops = new Stop[11];
        for (int i = 0; i < stops.length; i++) {
            double f = i / (double) (stops.length - 1);
            stops[i] = new Stop(f, ColorMap.divergingColor(2 * f - 1));
        }
        Region bar = new Region();
        bar.setPrefHeight(14);
        bar.setMinHeight(14);
        bar.setPrefWidth(220);
        bar.setBackground(new Background(new BackgroundFill(new LinearGradient(0, 0, 1, 0, true, CycleMethod.NO_CYCLE, stops), null, null)));
        bar.getStyleClass().add("legend-bar");
        Label l = new Label(low), m = new Label(mid), h = new Label(high);
        Region s1 = new Region(), s2 = new Region();
        HBox.setHgrow(s1, Priority.ALWAYS);
        HBox.setHgrow(s2, Priority.ALWAYS);
        HBox labels = new HBox(l, s1, m, s2, h);
        labels.getStyleClass().add("legend-labels");
        getChildren().addAll(bar, labels);
        setSpacing(2);
        setMaxWidth(260);
        setAlignment(Pos.CENTER_LEFT);
        getStyleClass().add("color-legend");
    }
}
