package org.diffusionexplorer.app.shell;

import javafx.scene.Node;

/** One pane of the explorer as the shell sees it. */
public interface ExplorerView {
    /** Name in the sidebar. */
    String title();

    /** Stable id used in node ids ("nav-" + key) and tests. */
    String key();

    Node node();

    /** Space in the window: start or stop this pane's animation, if it has one. */
    default void togglePlay() {
    }

    /** '.' and ',' in the window: one step forward or back. */
    default void step(int direction) {
    }
}
