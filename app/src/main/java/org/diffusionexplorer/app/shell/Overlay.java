package org.diffusionexplorer.app.shell;

import javafx.scene.Node;
import javafx.scene.layout.Pane;

/**
 * A layer over the whole window for the welcome and the tour's callouts: part of the window's scene
 * (so it shows in screenshots and follows the theme), laid out by itself, and letting clicks through
 * wherever it shows nothing.
 */
public final class Overlay extends Pane {
    private final Pane host;

    public Overlay(Pane host) {
        this.host = host;
        setId("overlay");
        setManaged(false);
        setPickOnBounds(false);
        host.layoutBoundsProperty().addListener((o, was, b) -> resizeRelocate(0, 0, b.getWidth(), b.getHeight()));
        host.getChildren().add(this);
    }

    /** Adds a node on top of everything in the window. */
    public void add(Node n) {
        if (!getChildren().contains(n)) getChildren().add(n);
        toFront();
    }

    public void remove(Node n) {
        getChildren().remove(n);
    }

    /** Lays the window out now, so the bounds of a pane just shown are known. */
    public void layoutHost() {
        host.applyCss();
        host.layout();
    }
}
