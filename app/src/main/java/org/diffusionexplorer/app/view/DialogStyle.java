package org.diffusionexplorer.app.view;

import javafx.scene.Scene;
import javafx.scene.control.Dialog;
import javafx.stage.Window;

/** Gives a dialog the window's look: its stylesheets (theme) and, on a projector, classroom type. */
public final class DialogStyle {
    private DialogStyle() {
    }

    public static void like(Dialog<?> dialog, Window owner) {
        if (owner == null) return;
        dialog.initOwner(owner);
        Scene scene = owner.getScene();
        if (scene == null) return;
        var pane = dialog.getDialogPane();
        pane.getStylesheets().setAll(scene.getStylesheets());
        pane.getStyleClass().add("explorer-root");
        if (scene.getRoot().getStyleClass().contains("classroom")) pane.getStyleClass().add("classroom");
    }
}
