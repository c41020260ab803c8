package org.diffusionexplorer.app.shell;

import javafx.scene.control.MenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.input.KeyCombination;
import javafx.stage.Stage;
import org.diffusionexplorer.app.settings.PreferencesDialog;
import org.diffusionexplorer.app.settings.Settings;
import org.diffusionexplorer.app.settings.Theme;

/**
 * Applies the user's settings to the shown window and keeps them in step: theme, classroom mode
 * (the switch and F11 change the stored value too, so the app opens the way it was left), the menu
 * entries File > Preferences (Ctrl+,), Help > Guided tour and Help > About, and the first-run welcome.
 */
public final class WindowSettings {
    private final GuidedTour tour;
    private final WelcomeOverlay welcome;

    private WindowSettings(GuidedTour tour, WelcomeOverlay welcome) {
        this.tour = tour;
        this.welcome = welcome;
    }

    /** Call once the stage shows (full screen needs a window). */
    public static WindowSettings install(Stage stage, ExplorerShell shell, AppContext ctx) {
        Settings settings = ctx.settings();
        Theme.apply(stage.getScene(), settings.themeProperty().get());
        settings.themeProperty().addListener((o, was, now) -> Theme.apply(stage.getScene(), now));
        shell.classroomProperty().set(settings.classroomProperty().get());
        shell.classroomProperty().bindBidirectional(settings.classroomProperty());

        GuidedTour tour = new GuidedTour(shell);
        WelcomeOverlay welcome = new WelcomeOverlay(shell.overlay(), settings.welcomeDoneProperty(), tour::start);

        MenuItem prefs = new MenuItem("Preferences...");
        prefs.setId("menu-preferences");
        prefs.setAccelerator(KeyCombination.keyCombination("Shortcut+Comma"));
        prefs.setOnAction(e -> new PreferencesDialog(stage, settings, ctx.messages()::showInfo).show());
        shell.menus().file().getItems().add(prefs);
        MenuItem tourItem = new MenuItem("Guided tour");
        tourItem.setId("menu-tour");
        tourItem.setOnAction(e -> {
            welcome.hide();
            tour.start();
        });
        MenuItem about = new MenuItem("About Diffusion Explorer");
        about.setId("menu-about");
        about.setOnAction(e -> AboutDialog.show(stage, ctx));
        shell.menus().help().getItems().addAll(tourItem, new SeparatorMenuItem(), about);

        if (WelcomeOverlay.enabled() && !settings.welcomeDoneProperty().get()) welcome.show();
        return new WindowSettings(tour, welcome);
    }

    public GuidedTour tour() {
        return tour;
    }

    public WelcomeOverlay welcome() {
        return welcome;
    }
}
