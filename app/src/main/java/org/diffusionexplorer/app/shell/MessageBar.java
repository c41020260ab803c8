package org.diffusionexplorer.app.shell;

import java.io.IOException;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import org.diffusionexplorer.checkpoint.CheckpointException;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.data.DatasetException;
import org.diffusionexplorer.io.Failures;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * A bar across the top of the window for messages the user should read (a folder that holds no
 * images, a config the UNet cannot build). Hidden until there is something to say.
 */
public final class MessageBar extends HBox {
    private final Label text = new Label();

    /** Who showed the message on display; null: anyone's success may clear it. */
    private Object owner;

    public MessageBar() {
        setId("message-bar");
        getStyleClass().add("message-bar");
        text.setId("message-text");
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button close = new Button("Dismiss");
        close.setId("message-dismiss");
        close.setOnAction(e -> hideMessage());
        getChildren().addAll(text, close);
        setAlignment(Pos.CENTER_LEFT);
        setSpacing(12);
        hideMessage();
    }

    public void showError(String message) {
        showError(null, message);
    }

    public void showInfo(String message) {
        showInfo(null, message);
    }

    /** An error that {@code owner} (a pane) shows: only the owner's {@link #hideMessage(Object)} or Dismiss clears it. */
    public void showError(Object owner, String message) {
        show(owner, message, "error");
    }

    public void showInfo(Object owner, String message) {
        show(owner, message, "info");
    }

    /**
     * Hides the message when {@code by} showed it or nobody owns it. A pane calls this when its own work
     * succeeds, so another pane's background success (a model that finished loading, say) can never
     * wipe an error the user has not read yet.
     */
    public void hideMessage(Object by) {
        if (owner == null || owner == by) hideMessage();
    }

    private void show(Object owner, String message, String kind) {
        this.owner = owner;
        getStyleClass().removeAll("error", "info");
        getStyleClass().add(kind);
        text.setText(message);
        setVisible(true);
        setManaged(true);
    }

    /** Hides whatever is shown (the Dismiss button). */
    public void hideMessage() {
        owner = null;
        setVisible(false);
        setManaged(false);
    }

    public String message() {
        return isVisible() ? text.getText() : "";
    }

    /**
     * Words for the user from a failure: the kind of problem they can fix in front of the model's
     * words for it ({@link Failures}) ("Invalid config - ...", "Dataset problem - ...", "Run folder
     * problem - ...", "Unreadable checkpoint - ...", "Cannot read or write the files - ..."), or a short
     * note for the rest.
     */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigException) return "Invalid config - " + t.getMessage();
            if (t instanceof DatasetException) return "Dataset problem - " + t.getMessage();
            if (t instanceof RunException) return "Run folder problem - " + t.getMessage();
            if (t instanceof CheckpointException) return "Unreadable checkpoint - " + t.getMessage();
        }
        Throwable root = Failures.innermost(e);
        if (root instanceof UnsupportedOperationException) return root.getMessage();
        if (e instanceof IOException) return "Cannot read or write the files - " + Failures.describe(e);
        return "Something went wrong: " + Failures.reason(root);
    }
}
