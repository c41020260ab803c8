package org.diffusionexplorer.app.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bundled data and models and their licences, read from the assets folder itself: each dataset's
 * licence files and its part of datasets/SOURCE.md, each model's README.md. Read off the FX thread.
 */
public final class BundledLicences {
    /** One dataset or model in assets/. */
    public record Item(String name, String kind, String source, String licence) {
    }

    private BundledLicences() {
    }

    public static List<Item> read(Path assets) throws IOException {
        List<Item> items = new ArrayList<>();
        Path datasets = assets.resolve("datasets");
        String sources = Files.isRegularFile(datasets.resolve("SOURCE.md")) ? Files.readString(datasets.resolve("SOURCE.md")) : "";
        for (Path dir : folders(datasets)) {
            String name = dir.getFileName().toString();
            String source = section(sources, "## " + name + "/");
            items.add(new Item(name, "dataset", source.isEmpty() ? "(no entry in datasets/SOURCE.md)" : source, licenceFiles(dir)));
        }
        for (Path dir : folders(assets.resolve("models"))) {
            Path readme = dir.resolve("README.md");
            String text = Files.isRegularFile(readme) ? firstParagraph(Files.readString(readme)) : "(no README.md)";
            items.add(new Item(dir.getFileName().toString(), "model", text, modelLicence(dir, readme)));
        }
        return items;
    }

    private static List<Path> folders(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).sorted().toList();
        }
    }

    /** The "- Source:" bullet of a SOURCE.md section, markdown marks removed. */
    static String section(String markdown, String heading) {
        int at = markdown.indexOf(heading);
        if (at < 0) return "";
        int end = markdown.indexOf("\n## ", at + heading.length());
        String body = markdown.substring(at, end < 0 ? markdown.length() : end);
        int src = body.indexOf("- Source:");
        if (src < 0) return "";
        int next = body.indexOf("\n- ", src + 1);
        return plain(body.substring(src + "- Source:".length(), next < 0 ? body.length() : next));
    }

    /** For each LICENSE* file: its name, its first line and its copyright line. */
    private static String licenceFiles(Path dir) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("LICENSE")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
                String title = lines.isEmpty() ? "" : lines.get(0);
                String copyright = lines.stream().filter(l -> l.startsWith("Copyright")).findFirst().orElse("");
                out.add(f.getFileName() + ": " + title + (copyright.isEmpty() ? "" : ", " + copyright));
            }
        }
        return out.isEmpty() ? "(no licence file)" : String.join("; ", out);
    }

    private static String modelLicence(Path dir, Path readme) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            if (s.anyMatch(p -> p.getFileName().toString().startsWith("LICENSE"))) return licenceFiles(dir);
        }
        return "no licence file; made by this project (see " + dir.getFileName() + "/README.md)";
    }

    private static String firstParagraph(String markdown) {
        StringBuilder b = new StringBuilder();
        for (String line : markdown.split("\n")) {
            if (line.startsWith("#")) continue;
            if (line.isBlank()) {
                if (b.length() > 0) break;
                continue;
            }
            b.append(line.strip()).append(' ');
        }
        return plain(b.toString());
    }

    private static String plain(String s) {
        return s.replace("**", "").replace("`", "").replaceAll("\\s+", " ").strip();
    }
}
