package org.diffusionexplorer.app.shell;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** A pane that is planned but whose model side does not exist yet: says so, and nothing more. */
public final class Placeholder implements ExplorerView {
    private final String title;
    private final String key;
    private final VBox node;

    public Placeholder(String title, String key, String what) {
        this.title = title;
        this.key = key;
        Label heading = new Label(title + " - coming with the trainer");
        heading.getStyleClass().add("pane-heading");
        Label body = new Label(what);
        body.getStyleClass().add("caption");
        body.setWrapText(true);
        body.setMaxWidth(640);
        node = new VBox(16, heading, body);
        node.setId("pane-" + key);
        node.getStyleClass().add("placeholder");
        node.setAlignment(Pos.CENTER);
    }

    @Override
    public String title() {
        return title;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public Node node() {
        return node;
    }
}
