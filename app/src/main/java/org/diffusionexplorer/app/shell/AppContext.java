package org.diffusionexplorer.app.shell;

import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.model.ExplorerModel;

/** What every pane needs: the model facade, the background runner and the message bar. */
public record AppContext(ExplorerModel model, Background background, MessageBar messages) {
}
