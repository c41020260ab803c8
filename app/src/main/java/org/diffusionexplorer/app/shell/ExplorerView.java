package org.diffusionexplorer.app.shell;

import javafx.scene.Node;
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

    /** Space in the window: start or stop this pane's animation, if it has one. */
    public void togglePlay() {
    }

    /** '.' and ',' in the window: one step forward or back. */
    public void step(int direction) {
    }
}
