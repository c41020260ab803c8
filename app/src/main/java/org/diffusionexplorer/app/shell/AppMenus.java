package org.diffusionexplorer.app.shell;

import javafx.scene.control.Menu;
import javafx.scene.control.MenuBar;

/** The window's menus (File, Help), in the top bar beside the title. Other parts add their items. */
public final class AppMenus {
    private final Menu file = new Menu("File");
    private final Menu help = new Menu("Help");
    private final MenuBar bar = new MenuBar(file, help);

    public AppMenus() {
        bar.setId("menu-bar");
        bar.getStyleClass().add("app-menu-bar");
        file.setId("menu-file");
        help.setId("menu-help");
    }

    public Menu file() {
        return file;
    }

    public Menu help() {
        return help;
    }

    public MenuBar node() {
        return bar;
    }
}
