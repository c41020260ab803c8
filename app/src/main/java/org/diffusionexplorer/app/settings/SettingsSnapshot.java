package org.diffusionexplorer.app.settings;

import java.nio.file.Path;

/**
 * The stored preferences as plain values, for the store's thread.
 *
 * @param lastRunFolder the run folder last opened, started or chosen (null: none yet)
 * @param threads native threads at start (0: automatic, every core)
 * @param welcomeDone the first-run welcome was closed with "don't show again"
 */
public record SettingsSnapshot(Path lastRunFolder, Theme theme, boolean classroom, int threads, boolean welcomeDone) {
    public static final SettingsSnapshot DEFAULTS = new SettingsSnapshot(null, Theme.LIGHT, false, 0, false);

    public SettingsSnapshot {
        if (theme == null) theme = Theme.LIGHT;
        SettingValues.threads(threads);
    }
}
