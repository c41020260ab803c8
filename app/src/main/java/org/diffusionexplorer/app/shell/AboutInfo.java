package org.diffusionexplorer.app.shell;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/** What About says about the program: its version, the Java, JavaFX and ND4J it runs on, and its libraries. */
public final class AboutInfo {
    /** One library inside the explorer. */
    public record Library(String name, String version, String licence) {
    }

    private final Properties versions = new Properties();
    private final List<Library> libraries = new ArrayList<>();

    public AboutInfo() {
        try (InputStream in = resource("about.properties")) {
            versions.load(in);
            String tsv = new String(resource("libraries.tsv").readAllBytes(), StandardCharsets.UTF_8);
            for (String line : tsv.split("\n")) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t");
                if (f.length == 3) libraries.add(new Library(f[0].strip(), f[1].strip(), f[2].strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = AboutInfo.class.getResourceAsStream(name);
        if (in == null) throw new IOException("missing resource " + name);
        return in;
    }

    private String version(String key) {
        String v = versions.getProperty(key, "");
        return v.isBlank() || v.contains("${") ? "unknown" : v;
    }

    /** The pom's version of the app (the jar's manifest says the same when it has one). */
    public String appVersion() {
        String v = version("app.version");
        if (!v.equals("unknown")) return v;
        String manifest = AboutInfo.class.getPackage().getImplementationVersion();
        return manifest != null ? manifest : v;
    }

    public String javaVersion() {
        return System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ", "
                + System.getProperty("java.vm.name") + ")";
    }

    /** The JavaFX running (known once the toolkit started), else the one the app was built with. */
    public String javafxVersion() {
        String running = System.getProperty("javafx.runtime.version");
        return running != null ? running : version("javafx.version");
    }

    public String nd4jVersion() {
        return version("nd4j.version");
    }

    public String osDescription() {
        return System.getProperty("os.name") + " " + System.getProperty("os.version") + " (" + System.getProperty("os.arch")
                + "), " + Runtime.getRuntime().availableProcessors() + " logical cores";
    }

    public List<Library> libraries() {
        return List.copyOf(libraries);
    }
}
