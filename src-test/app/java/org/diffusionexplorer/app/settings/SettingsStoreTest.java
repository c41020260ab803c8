package org.diffusionexplorer.app.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preferences file: round trip, changes saved off the caller's thread, bad values named and ignored. */
class SettingsStoreTest {
    @TempDir
    Path dir;

    @Test
    void everyFieldSurvivesARoundTripAndChangesAreSavedByThemselves() throws Exception {
        Path run = Files.createDirectories(dir.resolve("runs/run-1"));
        SettingsStore store = new SettingsStore(dir.resolve("cfg"), w -> { throw new AssertionError(w); });
        assertEquals(SettingsSnapshot.DEFAULTS, store.load(), "no file yet: the defaults");

        Settings s = new Settings(store.load());
        s.saveChangesTo(store);
        s.rememberRunFolder(run);
        s.themeProperty().set(Theme.DARK);
        s.classroomProperty().set(true);
        s.threadsProperty().set(3);
        s.welcomeDoneProperty().set(true);
        assertTrue(store.flush(30));

        SettingsSnapshot back = new SettingsStore(dir.resolve("cfg"), w -> { throw new AssertionError(w); }).load();
        assertEquals(new SettingsSnapshot(run.toAbsolutePath().normalize(), Theme.DARK, true, 3, true), back);
        assertEquals(run.getParent().toFile(), new Settings(back).runsChooserStart(), "choosers open beside the last run");
        assertTrue(Files.readString(store.file()).contains("\"theme\" : \"dark\""));
    }

    @Test
    void invalidValuesAreRejectedNamingTheirField() {
        assertEquals(0, SettingValues.threads(""));
        assertEquals(0, SettingValues.threads("auto"));
        assertEquals(4, SettingValues.threads(" 4 "));
        for (String bad : new String[] {"abc", "-1", "1.5", "257", "99999999999"}) {
            var e = assertThrows(InvalidSettingException.class, () -> SettingValues.threads(bad), bad);
            assertEquals(SettingValues.THREADS, e.field());
            assertTrue(e.getMessage().startsWith("Thread count: "), e.getMessage());
        }
        var e = assertThrows(InvalidSettingException.class, () -> SettingValues.runFolder(dir.resolve("missing").toString()));
        assertTrue(e.getMessage().startsWith("Last run folder: ") && e.getMessage().contains("not an existing folder"), e.getMessage());
        assertNull(SettingValues.runFolder("  "));
        var t = assertThrows(InvalidSettingException.class, () -> Theme.parse("purple"));
        assertTrue(t.getMessage().startsWith("Theme: "), t.getMessage());
    }

    @Test
    void aFileWithBadValuesKeepsTheGoodOnesAndSaysWhichWereIgnored() throws Exception {
        Files.writeString(dir.resolve(SettingsStore.FILE),
                "{\"theme\":\"purple\",\"threads\":\"many\",\"classroomMode\":true,\"lastRunFolder\":\"/no/such/run\",\"welcomeDone\":\"yes\"}");
        List<String> warnings = new ArrayList<>();
        SettingsSnapshot s = new SettingsStore(dir, warnings::add).load();
        assertEquals(new SettingsSnapshot(null, Theme.LIGHT, true, 0, false), s);
        String all = String.join("\n", warnings);
        for (String field : new String[] {"Theme", "Thread count", "Last run folder", "Welcome done"}) {
            assertTrue(all.contains("ignoring " + field + ": "), all);
        }
        warnings.clear();
        Files.writeString(dir.resolve(SettingsStore.FILE), "{not json");
        assertEquals(SettingsSnapshot.DEFAULTS, new SettingsStore(dir, warnings::add).load());
        assertEquals(1, warnings.size(), warnings.toString());
    }
}
