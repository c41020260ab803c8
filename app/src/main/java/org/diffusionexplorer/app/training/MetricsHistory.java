package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.train.MetricsLog;

/** The loss curve of a run as its metrics.csv recorded it (one row per log_interval steps). */
final class MetricsHistory {
    private MetricsHistory() {
    }

    static List<LossPoint> read(Path csv) throws IOException {
        List<LossPoint> out = new ArrayList<>();
        if (!Files.isRegularFile(csv)) return out;
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        if (lines.isEmpty()) return out;
        List<String> header = List.of(lines.get(0).split(","));
        int step = header.indexOf("step"), loss = header.indexOf("loss");
        int[] q = new int[4];
        for (int k = 0; k < 4; k++) q[k] = header.indexOf("loss_q" + k);
        if (step < 0 || loss < 0) throw new IOException(csv + " has no step and loss columns (expected " + MetricsLog.COLUMNS + ")");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            if (cells.length != header.size()) continue; // a torn last line
            try {
                double[] lq = new double[4];
                for (int k = 0; k < 4; k++) lq[k] = number(cells, q[k]);
                out.add(new LossPoint(Long.parseLong(cells[step].trim()), number(cells, loss), lq));
            } catch (NumberFormatException e) {
                // a line that is not a row of numbers: not part of the curve
            }
        }
        return out;
    }

    private static double number(String[] cells, int i) {
        if (i < 0 || cells[i].isBlank()) return Double.NaN;
        return Double.parseDouble(cells[i].trim());
    }
}
