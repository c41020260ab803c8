package org.diffusionexplorer.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.diffusionexplorer.data.DatasetOptions;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.data.ImageDataset;
import org.diffusionexplorer.data.ImageFolderDataset;
import org.diffusionexplorer.data.LoadSummary;
import org.diffusionexplorer.data.PreviewGrid;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code dataset-info}: what a dataset holds after the reference's preprocessing, and what was skipped. */
@Command(name = "dataset-info", mixinStandardHelpOptions = true,
        description = "Count the images and classes of a dataset (bundled name or folder), list skipped files, "
                + "and optionally write a preview grid of the preprocessed images.")
public final class DatasetInfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "mnist|mnist-test|emoji|FOLDER",
            description = "A bundled dataset name or an image folder.")
    String data;

    @Option(names = "--size", defaultValue = "32", description = "Image size after preprocessing (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--channels", description = "1 (grayscale) or 3 (RGB); default 1 for mnist, else 3.")
    Integer channels;

    @Option(names = "--grid", paramLabel = "PNG", description = "Write a preview grid of preprocessed images here.")
    Path grid;

    @Option(names = "--grid-count", defaultValue = "64", description = "Images in the grid (default: ${DEFAULT-VALUE}).")
    int gridCount;

    @Option(names = "--scale", defaultValue = "2", description = "Pixel scale of the grid (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--seed", defaultValue = "0", description = "Seed choosing the grid's images (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        int ch = channels != null ? channels : Datasets.defaultChannels(data);
        ImageDataset ds = Datasets.open(data, DatasetOptions.of(size, ch).withClassLabels(true));
        // Decode every file now so the skipped count is final (bundled MNIST is decoded at open).
        LoadSummary summary = ds instanceof ImageFolderDataset ? ((ImageFolderDataset) ds).scanAll() : ds.summary();
        var out = spec.commandLine().getOut();
        out.println("dataset:  " + ds.name() + (Datasets.isBundled(data) ? " (bundled)" : ""));
        out.println("images:   " + summary.loaded() + " loaded, " + summary.skipped() + " skipped");
        out.println("shape:    " + ch + " x " + size + " x " + size + " (channels first, values in [-1, 1])");
        List<String> classes = ds.classNames();
        int[] counts = new int[classes.size()];
        for (int i = 0; i < ds.size(); i++) counts[ds.label(i)]++;
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(classes.size(), 20);
        for (int c = 0; c < shown; c++) sb.append(c == 0 ? "" : ", ").append(classes.get(c)).append(" (").append(counts[c]).append(')');
        if (shown < classes.size()) sb.append(", ... ").append(classes.size() - shown).append(" more");
        out.println("classes:  " + classes.size() + ": " + sb);
        if (ds instanceof ImageFolderDataset) out.println("          (class = file name before the first '_')");
        for (String r : summary.reasons()) out.println("skipped:  " + r);
        if (summary.skipped() > summary.reasons().size()) out.println("skipped:  ... and " + (summary.skipped() - summary.reasons().size()) + " more");
        if (grid != null) {
            int n = PreviewGrid.write(ds, gridCount, seed, scale, grid);
            out.println("grid:     " + grid + " (" + n + " images)");
        }
        return 0;
    }
}
