package org.diffusionexplorer.app.settings;

import java.net.URL;
import java.util.Locale;
import javafx.scene.Scene;

/** The window's colours: the light theme is explorer.css alone; dark adds explorer-dark.css on top of it. */
public enum Theme {
    LIGHT("Light", null),
    DARK("Dark", "explorer-dark.css");

    private final String label;
    /** the extra stylesheet (next to explorer.css), or null for none */
    private final String stylesheet;

    Theme(String label, String stylesheet) {
        this.label = label;
        this.stylesheet = stylesheet;
    }

    /** The name stored in the settings file. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A stored name back to a theme. */
    public static Theme parse(String key) {
        for (Theme t : values()) {
            if (t.key().equalsIgnoreCase(key == null ? "" : key.strip())) return t;
        }
        throw new InvalidSettingException(SettingValues.THEME, "'" + key + "' is not a theme (light or dark)");
    }

    @Override
    public String toString() {
        return label;
    }

    /** Puts the theme's stylesheet on a scene, after explorer.css so its colours win, and takes the others off. */
    public static void apply(Scene scene, Theme theme) {
        for (Theme t : values()) {
            if (t.stylesheet != null) scene.getStylesheets().remove(t.url());
        }
        if (theme != null && theme.stylesheet != null) scene.getStylesheets().add(theme.url());
    }

    private String url() {
        URL u = Theme.class.getResource("/org/diffusionexplorer/app/" + stylesheet);
        if (u == null) throw new IllegalStateException("missing stylesheet " + stylesheet);
        return u.toExternalForm();
    }
}
