package org.diffusionexplorer.app.settings;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The preferences file, {@code settings.json}, in the user's config folder: {@code %APPDATA%\DiffusionExplorer}
 * on Windows, {@code ~/Library/Application Support/DiffusionExplorer} on macOS, else
 * {@code $XDG_CONFIG_HOME/diffusion-explorer} (default {@code ~/.config}). {@code -Ddiffusion.settings.dir=DIR}
 * moves it (the tests give every app their own folder, so they never touch the user's settings).
 *
 * <p>Reading a field that is missing or invalid keeps its default and reports it; writes run on the
 * store's own thread, never the FX thread, and replace the file in one move so a crash cannot leave half of it.
 */
public final class SettingsStore {
    public static final String DIR_PROPERTY = "diffusion.settings.dir";
    public static final String FILE = "settings.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Consumer<String> warnings;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "settings-writer");
        t.setDaemon(true);
        return t;
    });

    public SettingsStore(Path dir, Consumer<String> warnings) {
        this.file = dir.resolve(FILE);
        this.warnings = warnings;
    }

    /** The store of this user (or of -Ddiffusion.settings.dir); problems are printed to stderr. */
    public static SettingsStore forUser() {
        return new SettingsStore(userDir(), w -> System.err.println("[explorer] settings: " + w));
    }

    public static Path userDir() {
        String override = System.getProperty(DIR_PROPERTY);
        if (override != null && !override.isBlank()) return Path.of(override);
        String home = System.getProperty("user.home");
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win")) {
            String appData = System.getenv("APPDATA");
            return Path.of(appData != null ? appData : home, "DiffusionExplorer");
        }
        if (os.contains("mac")) return Path.of(home, "Library", "Application Support", "DiffusionExplorer");
        String xdg = System.getenv("XDG_CONFIG_HOME");
        return Path.of(xdg != null && !xdg.isBlank() ? xdg : home + "/.config", "diffusion-explorer");
    }

    public Path file() {
        return file;
    }

    /** The stored settings; defaults for a missing file and for each field that is absent or invalid. */
    public SettingsSnapshot load() {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            return SettingsSnapshot.DEFAULTS;
        } catch (IOException e) {
            warnings.accept("cannot read " + file + " (" + e.getMessage() + "); using the defaults");
            return SettingsSnapshot.DEFAULTS;
        }
        if (root == null || !root.isObject()) {
            warnings.accept(file + " holds no settings object; using the defaults");
            return SettingsSnapshot.DEFAULTS;
        }
        SettingsSnapshot d = SettingsSnapshot.DEFAULTS;
        List<String> problems = new ArrayList<>();
        var folder = field(root, "lastRunFolder", d.lastRunFolder(), n -> SettingValues.runFolder(n.asText()), problems);
        var theme = field(root, "theme", d.theme(), n -> Theme.parse(n.asText()), problems);
        boolean classroom = field(root, "classroomMode", d.classroom(), n -> bool(n, "Classroom mode"), problems);
        int threads = field(root, "threads", d.threads(), n -> SettingValues.threads(n.asText()), problems);
        boolean welcomeDone = field(root, "welcomeDone", d.welcomeDone(), n -> bool(n, "Welcome done"), problems);
        for (String p : problems) warnings.accept("ignoring " + p + " in " + file);
        return new SettingsSnapshot(folder, theme, classroom, threads, welcomeDone);
    }

    private static <T> T field(JsonNode root, String name, T fallback, Function<JsonNode, T> reader, List<String> problems) {
        JsonNode n = root.get(name);
        if (n == null || n.isNull()) return fallback;
        try {
            return reader.apply(n);
        } catch (InvalidSettingException e) {
            problems.add(e.getMessage());
            return fallback;
        }
    }

    private static boolean bool(JsonNode n, String label) {
        if (!n.isBoolean()) throw new InvalidSettingException(label, "'" + n.asText() + "' is not true or false");
        return n.booleanValue();
    }

    /** Writes the file now, on the calling thread. */
    public void write(SettingsSnapshot s) throws IOException {
        ObjectNode o = JSON.createObjectNode();
        o.put("lastRunFolder", s.lastRunFolder() == null ? null : s.lastRunFolder().toString());
        o.put("theme", s.theme().key());
        o.put("classroomMode", s.classroom());
        o.put("threads", s.threads());
        o.put("welcomeDone", s.welcomeDone());
        org.diffusionexplorer.io.AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o) + "\n");
    }

    /** Writes the file on the store's thread; a failure is a warning, the app goes on with its settings in memory. */
    public void saveLater(SettingsSnapshot s) {
        writer.execute(() -> {
            try {
                write(s);
            } catch (IOException | RuntimeException e) {
                warnings.accept("cannot save " + file + " (" + e.getMessage() + ")");
            }
        });
    }

    /** Waits until every save asked for so far is on disk (at most the given seconds). Not for the FX thread. */
    public boolean flush(long seconds) throws InterruptedException {
        var done = writer.submit(() -> { });
        try {
            done.get(seconds, TimeUnit.SECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
