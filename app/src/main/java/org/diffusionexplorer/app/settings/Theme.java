package org.diffusionexplorer.app.settings;

import java.util.Locale;

/** The window's colours: the light theme is explorer.css alone; dark adds explorer-dark.css on top of it. */
public enum Theme {
    LIGHT("Light", null),
    DARK("Dark", "explorer-dark.css");

    private final String label;
    private final String stylesheet;

    Theme(String label, String stylesheet) {
        this.label = label;
        this.stylesheet = stylesheet;
    }

    /** The extra stylesheet (next to explorer.css), or null for none. */
    public String stylesheet() {
        return stylesheet;
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
}
