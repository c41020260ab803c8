package org.diffusionexplorer.train;

import java.io.IOException;
import java.io.InputStream;
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
 * metrics.csv of a run, written and read here only: one row per log_interval steps holding the means
 * over those steps (the reference's logkv_mean then dumpkvs). A resumed run first drops rows past its
 * checkpoint, so the file reads as if the run had never been interrupted.
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

    /** The loss curve of a run no one writes any more: every row (a last line without its newline counts). */
    public static List<LossPoint> read(Path csv) throws IOException {
        return new Tail(csv).next(true);
    }

    /**
     * Reads metrics.csv from where it stopped last time, for a run another process is still writing:
     * only whole lines (a row being appended now is read next time), never more than is there; the
     * file is opened for reading only. Rows that are torn or not numbers are no part of the curve.
     */
    public static final class Tail {
        private final Path csv;
        private long offset;
        private List<String> header;

        public Tail(Path csv) {
            this.csv = csv;
        }

        /** The rows written since the last call. */
        public List<LossPoint> next() throws IOException {
            return next(false);
        }

        private List<LossPoint> next(boolean lastLineWhole) throws IOException {
            List<LossPoint> out = new ArrayList<>();
            if (!Files.isRegularFile(csv)) return out;
            byte[] fresh;
            try (InputStream in = Files.newInputStream(csv)) {
                in.skipNBytes(Math.min(offset, Files.size(csv)));
                fresh = in.readAllBytes();
            }
            int end = fresh.length;
            if (!lastLineWhole) while (end > 0 && fresh[end - 1] != '\n') end--; // up to the last whole line
            offset += end;
            for (String line : new String(fresh, 0, end, StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) continue;
                if (header == null) {
                    header = List.of(line.split(","));
                    if (!header.contains("step") || !header.contains("loss")) {
                        throw new IOException(csv + " has no step and loss columns (expected " + COLUMNS + ")");
                    }
                    continue;
                }
                LossPoint p = row(line);
                if (p != null) out.add(p);
            }
            return out;
        }

        private LossPoint row(String line) {
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) return null; // a torn line
            try {
                double[] lq = new double[4];
                for (int k = 0; k < 4; k++) lq[k] = number(cells, header.indexOf("loss_q" + k));
                return new LossPoint(Long.parseLong(cells[header.indexOf("step")].trim()), number(cells, header.indexOf("loss")), lq);
            } catch (NumberFormatException e) {
                return null; // a line that is not a row of numbers: not part of the curve
            }
        }

        private static double number(String[] cells, int i) {
            if (i < 0 || cells[i].isBlank()) return Double.NaN;
            return Double.parseDouble(cells[i].trim());
        }
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
