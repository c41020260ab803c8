package org.diffusionexplorer.data;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Opens a dataset by bundled name ({@code mnist}, {@code mnist-test}, {@code emoji}) or folder path,
 * so commands and the app accept either wherever a folder is accepted. A bare bundled name means
 * the bundled set; write {@code ./mnist} for a folder that happens to have that name.
 *
 * <p>The assets folder is found from the system property {@value #ASSETS_PROPERTY}, else by
 * looking for {@code assets/datasets} in the working directory and its parents, else beside the
 * jar (or classes folder) and its parents.
 */
public final class Datasets {
    public static final String ASSETS_PROPERTY = "diffusion.assets";
    /** The bundled names. mnist = 9,000 training digits; mnist-test = the 1,000 held out. */
    public static final List<String> BUNDLED = List.of("mnist", "mnist-test", "emoji");
    /** MNIST tiles are 28x28; they are bicubic-resized to the requested size like any small image. */
    public static final int MNIST_TILE = 28;

    private Datasets() {
    }

    public static ImageDataset open(String nameOrFolder, int size, int channels, boolean classLabels) {
        return open(nameOrFolder, DatasetOptions.of(size, channels).withClassLabels(classLabels));
    }

    public static ImageDataset open(String nameOrFolder, DatasetOptions options) {
        if (nameOrFolder == null || nameOrFolder.isBlank()) throw new DatasetException("no dataset given (a folder, or one of " + BUNDLED + ")");
        String key = nameOrFolder.strip().toLowerCase(Locale.ROOT);
        switch (key) {
            case "mnist":
            case "mnist-test": {
                Path dir = assetsDir().resolve("datasets/mnist");
                String split = key.equals("mnist") ? "train" : "test";
                return SpriteSheetDataset.open(key, dir.resolve(split + ".png"), dir.resolve(split + "-labels.txt"), MNIST_TILE, options);
            }
            case "emoji": {
                Path dir = assetsDir().resolve("datasets/emoji");
                return ImageFolderDataset.open(dir, options);
            }
            default:
                Path folder = Path.of(nameOrFolder);
                if (!Files.isDirectory(folder)) {
                    throw new DatasetException("no such folder: " + folder.toAbsolutePath() + " (bundled datasets: " + String.join(", ", BUNDLED) + ")");
                }
                return ImageFolderDataset.open(folder, options);
        }
    }

    /** The natural channel count: 1 for the bundled MNIST splits (gray digits), else 3 (RGB, the reference). */
    public static int defaultChannels(String nameOrFolder) {
        String key = nameOrFolder == null ? "" : nameOrFolder.strip().toLowerCase(Locale.ROOT);
        return key.equals("mnist") || key.equals("mnist-test") ? 1 : 3;
    }

    /** Whether a name refers to a bundled dataset. */
    public static boolean isBundled(String name) {
        return name != null && BUNDLED.contains(name.strip().toLowerCase(Locale.ROOT));
    }

    /** The assets folder (the one holding datasets/). */
    public static Path assetsDir() {
        List<Path> tried = new ArrayList<>();
        String prop = System.getProperty(ASSETS_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            if (Files.isDirectory(p.resolve("datasets"))) return p;
            throw new DatasetException("-D" + ASSETS_PROPERTY + "=" + prop + " has no datasets/ folder");
        }
        Path found = searchUp(Path.of("").toAbsolutePath(), tried);
        if (found != null) return found;
        try {
            Path code = Path.of(Datasets.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            found = searchUp(code.toAbsolutePath(), tried);
            if (found != null) return found;
        } catch (URISyntaxException | SecurityException | NullPointerException | IllegalArgumentException e) {
            // no usable code location; fall through to the error
        }
        throw new DatasetException("bundled datasets not found: no assets/datasets in " + tried
                + "; set -D" + ASSETS_PROPERTY + "=/path/to/assets");
    }

    private static Path searchUp(Path start, List<Path> tried) {
        for (Path p = start; p != null; p = p.getParent()) {
            Path candidate = p.resolve("assets");
            tried.add(p);
            if (Files.isDirectory(candidate.resolve("datasets"))) return candidate;
        }
        return null;
    }
}
