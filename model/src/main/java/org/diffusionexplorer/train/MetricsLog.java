package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.diffusionexplorer.io.AtomicFiles;

/**
 * metrics.csv of a run: one row per log_interval steps holding the means over those steps (the
 * reference's logkv_mean then dumpkvs). A resumed run first drops rows past its checkpoint, so the
 * file reads as if the run had never been interrupted.
 */
public final class MetricsLog {
    public static final List<String> COLUMNS = List.of("step", "loss", "mse", "vb", "loss_q0", "loss_q1", "loss_q2", "loss_q3",
            "grad_norm", "lr", "images_per_s");
    private static final String HEADER = String.join(",", COLUMNS);

    private final Path file;
    private final double[] sums = new double[COLUMNS.size()];
    private final int[] counts = new int[COLUMNS.size()];
    private long lastStep;
    private double images, seconds;

    public MetricsLog(Path file) throws IOException {
        this.file = file;
        if (!Files.exists(file)) AtomicFiles.writeString(file, HEADER + "\n");
    }

    /** Keeps the header and the rows of steps up to {@code step}. */
    public void truncateAfter(long step) throws IOException {
        List<String> keep = new ArrayList<>();
        keep.add(HEADER);
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("step")) continue;
            try {
                if (Long.parseLong(line.substring(0, line.indexOf(','))) <= step) keep.add(line);
            } catch (RuntimeException e) {
                // a torn last line of a killed process: drop it
            }
        }
        AtomicFiles.writeString(file, String.join("\n", keep) + "\n");
    }

    public void add(StepMetrics m, int batchSize) {
        double[] v = {m.step(), m.loss(), m.mse(), m.vb(), m.lossQ()[0], m.lossQ()[1], m.lossQ()[2], m.lossQ()[3], m.gradNorm(), m.lr()};
        for (int i = 1; i < v.length; i++) {
            if (!Double.isNaN(v[i])) {
                sums[i] += v[i];
                counts[i]++;
            }
        }
        lastStep = m.step();
        images += batchSize;
        seconds += m.seconds();
    }

    public boolean hasPending() {
        return counts[1] > 0;
    }

    /** Appends the row of the steps added since the last row. */
    public void writeRow() throws IOException {
        if (!hasPending()) return;
        StringBuilder sb = new StringBuilder().append(lastStep);
        for (int i = 1; i < COLUMNS.size() - 1; i++) {
            sb.append(',');
            if (counts[i] > 0) sb.append(format(sums[i] / counts[i]));
        }
        sb.append(',').append(seconds > 0 ? String.format(Locale.ROOT, "%.3f", images / seconds) : "").append('\n');
        Files.writeString(file, sb, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        java.util.Arrays.fill(sums, 0);
        java.util.Arrays.fill(counts, 0);
        images = 0;
        seconds = 0;
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** The last row as column -> text, or an empty map when there is none. */
    public static Map<String, String> lastRow(Path file) throws IOException {
        Map<String, String> row = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) return row;
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = lines.size() - 1; i > 0; i--) {
            String[] cells = lines.get(i).split(",", -1);
            if (cells.length != COLUMNS.size()) continue;
            for (int k = 0; k < cells.length; k++) row.put(COLUMNS.get(k), cells[k]);
            break;
        }
        return row;
    }
}
