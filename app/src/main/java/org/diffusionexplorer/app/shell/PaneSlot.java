package org.diffusionexplorer.app.shell;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A pane's place in the sidebar: its title and key, and how to make the pane, which happens the first
 * time it is shown or asked for (on the JavaFX thread). The window opens with only the pane it shows
 * made: making all six first took the JavaFX thread 0.6-0.8 s before the window appeared
 * (timed marks in the packaged app's smoke test), on the way to the first denoising frame, and a lesson
 * that never opens a pane no longer pays for it.
 *
 * @param <V> the pane's class
 */
public final class PaneSlot<V extends ExplorerView> {
    private final String title;
    private final String key;
    private final Supplier<V> make;
    private V view;

    /**
     * @param title the sidebar's name for the pane (the pane's own title)
     * @param key   the pane's key
     * @param make  makes the pane; called once
     */
    public PaneSlot(String title, String key, Supplier<V> make) {
        this.title = title;
        this.key = key;
        this.make = make;
    }

    public String title() {
        return title;
    }

    public String key() {
        return key;
    }

    /** The pane, made now if it was not yet. */
    public V view() {
        if (view == null) {
            V made = make.get();
            if (!made.key().equals(key) || !made.title().equals(title)) {
                throw new IllegalStateException("the slot '" + key + "' made the pane '" + made.key() + "'");
            }
            view = made;
        }
        return view;
    }

    /** The pane if it was made, without making it. */
    public Optional<V> made() {
        return Optional.ofNullable(view);
    }
}
