package org.diffusionexplorer.app.shell;

import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.model.ExplorerModel;
import org.diffusionexplorer.app.settings.Settings;

/** What every pane needs: the model facade, the background runner, the message bar and the user's settings. */
public record AppContext(ExplorerModel model, Background background, MessageBar messages, Settings settings) {
    /** With settings that live in memory only. */
    public AppContext(ExplorerModel model, Background background, MessageBar messages) {
        this(model, background, messages, new Settings());
    }
}
