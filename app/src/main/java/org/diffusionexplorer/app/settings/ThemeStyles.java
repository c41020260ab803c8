package org.diffusionexplorer.app.settings;

import java.net.URL;
import javafx.scene.Scene;

/** Puts the theme's stylesheet on a scene, after explorer.css so its colours win, and takes the others off. */
public final class ThemeStyles {
    private ThemeStyles() {
    }

    public static void apply(Scene scene, Theme theme) {
        for (Theme t : Theme.values()) {
            if (t.stylesheet() != null) scene.getStylesheets().remove(url(t));
        }
        if (theme != null && theme.stylesheet() != null) scene.getStylesheets().add(url(theme));
    }

    static String url(Theme t) {
        URL u = ThemeStyles.class.getResource("/org/diffusionexplorer/app/" + t.stylesheet());
        if (u == null) throw new IllegalStateException("missing stylesheet " + t.stylesheet());
        return u.toExternalForm();
    }
}
