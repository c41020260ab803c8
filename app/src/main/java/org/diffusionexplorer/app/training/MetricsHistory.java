package org.diffusionexplorer.app.training;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.train.MetricsLog;

/**
 * The loss curve of a run as its metrics.csv recorded it (one row per log_interval steps): read whole
 * when a run is opened, or as a {@link Tail} that returns only the rows written since the last call,
 * for a run another process is still writing.
 */
final class MetricsHistory {
    private MetricsHistory() {
    }

    static List<LossPoint> read(Path csv) throws IOException {
        return new Tail(csv).next(true); // a run no one writes: a last line without its newline counts
    }

    /**
     * Reads metrics.csv from where it stopped last time: only whole lines (a row being appended now is
     * read next time), never more than is there; the file is opened for reading only.
     */
    static final class Tail {
        private final Path csv;
        private long offset;
        private List<String> header;

        Tail(Path csv) {
            this.csv = csv;
        }

        List<LossPoint> next() throws IOException {
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
                        throw new IOException(csv + " has no step and loss columns (expected " + MetricsLog.COLUMNS + ")");
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
    }

    private static double number(String[] cells, int i) {
        if (i < 0 || cells[i].isBlank()) return Double.NaN;
        return Double.parseDouble(cells[i].trim());
    }
}
