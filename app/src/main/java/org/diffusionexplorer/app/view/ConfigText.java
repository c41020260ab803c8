package org.diffusionexplorer.app.view;

import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * The numbers typed into a form of config values (the architecture editor, the run settings): the
 * text, trimmed, as a number, or an {@link InvalidConfigException} naming the key and quoting the text.
 */
public final class ConfigText {
    private ConfigText() {
    }

    public static int integer(String key, String text) {
        String t = text.trim();
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, "must be a whole number, got '" + t + "'");
        }
    }

    public static double decimal(String key, String text) {
        String t = text.trim();
        try {
            return Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new InvalidConfigException(key, "must be a number, got '" + t + "'");
        }
    }
}
