package org.diffusionexplorer.app.settings;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.Observable;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleIntegerProperty;
import javafx.beans.property.SimpleObjectProperty;
import org.diffusionexplorer.checkpoint.CheckpointStore;

/**
 * The user's preferences as JavaFX properties, used on the FX thread. {@link #saveChangesTo} writes
 * every change through a {@link SettingsStore}; without it (tests, a fresh context) they live in memory.
 */
public final class Settings {
    private final ObjectProperty<Path> lastRunFolder = new SimpleObjectProperty<>(this, "lastRunFolder");
    private final ObjectProperty<Theme> theme = new SimpleObjectProperty<>(this, "theme", Theme.LIGHT);
    private final BooleanProperty classroom = new SimpleBooleanProperty(this, "classroom");
    private final IntegerProperty threads = new SimpleIntegerProperty(this, "threads");
    private final BooleanProperty welcomeDone = new SimpleBooleanProperty(this, "welcomeDone");

    public Settings() {
        this(SettingsSnapshot.DEFAULTS);
    }

    public Settings(SettingsSnapshot s) {
        lastRunFolder.set(s.lastRunFolder());
        theme.set(s.theme());
        classroom.set(s.classroom());
        threads.set(s.threads());
        welcomeDone.set(s.welcomeDone());
        theme.addListener((o, was, now) -> {
            if (now == null) theme.set(Theme.LIGHT);
        });
    }

    public SettingsSnapshot snapshot() {
        return new SettingsSnapshot(lastRunFolder.get(), theme.get(), classroom.get(), threads.get(), welcomeDone.get());
    }

    /** Writes the settings through the store (on its own thread) whenever one of them changes. */
    public void saveChangesTo(SettingsStore store) {
        for (Observable p : new Observable[] {lastRunFolder, theme, classroom, threads, welcomeDone}) {
            p.addListener(o -> store.saveLater(snapshot()));
        }
    }

    public ObjectProperty<Path> lastRunFolderProperty() {
        return lastRunFolder;
    }

    public ObjectProperty<Theme> themeProperty() {
        return theme;
    }

    public BooleanProperty classroomProperty() {
        return classroom;
    }

    /** Native threads at the next start; 0 is automatic. */
    public IntegerProperty threadsProperty() {
        return threads;
    }

    public BooleanProperty welcomeDoneProperty() {
        return welcomeDone;
    }

    /** Remembers a run folder the user worked with. */
    public void rememberRunFolder(Path runFolder) {
        if (runFolder != null) lastRunFolder.set(runFolder.toAbsolutePath().normalize());
    }

    /** Where a chooser for run folders opens: the folder holding the last run, so it and its siblings show. */
    public File runsChooserStart() {
        Path last = lastRunFolder.get();
        return existing(last == null ? null : last.getParent());
    }

    /** Where a chooser for checkpoint files opens: the last run's checkpoints, else the run itself. */
    public File checkpointChooserStart() {
        Path last = lastRunFolder.get();
        if (last == null) return null;
        File checkpoints = existing(CheckpointStore.folderOf(last));
        return checkpoints != null ? checkpoints : existing(last);
    }

    private static File existing(Path p) {
        return p != null && Files.isDirectory(p) ? p.toFile() : null;
    }
}
