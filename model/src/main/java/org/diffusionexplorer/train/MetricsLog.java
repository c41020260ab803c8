package org.diffusionexplorer.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

    /**
     * Keeps the header and the rows of steps up to {@code step}. Read and written as a stream, a
     * line at a time and no line longer than {@link #MAX_LINE}, so the file's size never becomes
     * the program's memory (the caller has made sure it is a regular file, see RunFolder.checkFiles).
     */
    public void truncateAfter(long step) throws IOException {
        AtomicFiles.write(file, out -> {
            java.io.Writer w = new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(HEADER + "\n");
            forEachLine(file, line -> {
                if (line.isBlank() || line.startsWith("step")) return;
                try {
                    if (Long.parseLong(line.substring(0, line.indexOf(','))) <= step) w.write(line + "\n");
                } catch (RuntimeException e) {
                    // a torn last line of a killed process: drop it
                }
            });
            w.flush();
        });
    }

    /** Longer lines are no rows of this file (a row is about 120 characters): skipped, never held whole. */
    static final int MAX_LINE = 4096;

    interface LineAction {
        void accept(String line) throws IOException;
    }

    /** Each line of {@code f} up to {@link #MAX_LINE} characters, in order; longer ones are skipped while read. */
    static void forEachLine(Path f, LineAction action) throws IOException {
        try (java.io.Reader r = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(f), StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            boolean tooLong = false;
            for (int c = r.read();; c = r.read()) {
                if (c == -1 || c == '\n') {
                    if (line.length() > 0 && line.charAt(line.length() - 1) == '\r') line.setLength(line.length() - 1); // CRLF
                    if (!tooLong && (c == '\n' || line.length() > 0)) action.accept(line.toString());
                    line.setLength(0);
                    tooLong = false;
                    if (c == -1) return;
                } else if (!tooLong) {
                    if (line.length() == MAX_LINE) {
                        tooLong = true;
                        line.setLength(0);
                    } else {
                        line.append((char) c);
                    }
                }
            }
        }
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
        String[] last = {null};
        forEachLine(file, line -> {
            if (!line.startsWith("step") && line.split(",", -1).length == COLUMNS.size()) last[0] = line;
        });
        if (last[0] != null) {
            String[] cells = last[0].split(",", -1);
            for (int k = 0; k < cells.length; k++) row.put(COLUMNS.get(k), cells[k]);
        }
        return row;
    }
}
