package org.diffusionexplorer.app.shell;

import javafx.beans.value.ChangeListener;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.layout.BorderPane;

/**
 * One pane of the explorer as the shell sees it: its name in the sidebar, a stable key, and the
 * root the pane fills (its id is "pane-" + key).
 */
public abstract class ExplorerView {
    private final String title;
    private final String key;
    protected final BorderPane root = new BorderPane();

    /**
     * @param title name in the sidebar
     * @param key   stable id used in node ids ("nav-" + key, "pane-" + key) and tests
     */
    protected ExplorerView(String title, String key) {
        this.title = title;
        this.key = key;
        root.setId("pane-" + key);
    }

    public final String title() {
        return title;
    }

    public final String key() {
        return key;
    }

    public final Node node() {
        return root;
    }

    /**
     * Runs {@code first} once, when the pane is first shown (its root enters a scene). Background work
     * that only this pane needs (decoding a dataset) waits for it, so that at start-up it does not
     * compete with the window and the Denoising pane's preload for the two cores of a classroom laptop.
     */
    protected final void whenFirstShown(Runnable first) {
        if (root.getScene() != null) {
            first.run();
            return;
        }
        root.sceneProperty().addListener(new ChangeListener<Scene>() {
            @Override
            public void changed(ObservableValue<? extends Scene> o, Scene was, Scene now) {
                if (now == null) return;
                root.sceneProperty().removeListener(this);
                first.run();
            }
        });
    }

    /** Space in the window: start or stop this pane's animation, if it has one. */
    public void togglePlay() {
    }

    /** '.' and ',' in the window: one step forward or back. */
    public void step(int direction) {
    }
}
