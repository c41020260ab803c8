package org.diffusionexplorer.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.train.LossPoint;
import org.diffusionexplorer.train.MetricsLog;

/**
 * A PNG of a run's loss curve from metrics.csv (log-scale loss against step, raw rows and an
 * exponentially smoothed line), written beside a shipped model so its training can be seen at a glance.
 */
public final class LossCurvePlot {
    private static final int W = 800, H = 420, LEFT = 70, RIGHT = 20, TOP = 40, BOTTOM = 50;

    private LossCurvePlot() {}

    /** Steps and losses of a metrics.csv (rows with a finite, positive loss: the plot's scale is log). */
    public static double[][] read(Path metricsCsv) throws IOException {
        List<LossPoint> rows = MetricsLog.read(metricsCsv).stream().filter(p -> Double.isFinite(p.loss()) && p.loss() > 0).toList();
        double[][] out = new double[2][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            out[0][i] = rows.get(i).step();
            out[1][i] = rows.get(i).loss();
        }
        return out;
    }

    public static void write(Path metricsCsv, Path png, String title) throws IOException {
        double[][] d = read(metricsCsv);
        if (d[0].length < 2) throw new RunException(metricsCsv + " has fewer than two loss rows");
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, W, H);
        double x0 = d[0][0], x1 = d[0][d[0].length - 1];
        double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
        for (double v : d[1]) {
            lo = Math.min(lo, Math.log10(v));
            hi = Math.max(hi, Math.log10(v));
        }
        lo = Math.floor(lo * 2) / 2;
        hi = Math.ceil(hi * 2) / 2;
        if (hi <= lo) hi = lo + 0.5;
        Axes ax = new Axes(x0, x1, lo, hi);

        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(new Color(225, 225, 225));
        for (double e = lo; e <= hi + 1e-9; e += 0.5) g.drawLine(LEFT, ax.y(e), W - RIGHT, ax.y(e));
        g.setColor(Color.DARK_GRAY);
        g.drawRect(LEFT, TOP, W - LEFT - RIGHT, H - TOP - BOTTOM);
        for (double e = lo; e <= hi + 1e-9; e += 0.5) {
            g.drawString(String.format(Locale.ROOT, "%.3g", Math.pow(10, e)), 8, ax.y(e) + 4);
        }
        for (int i = 0; i <= 4; i++) {
            double s = x0 + (x1 - x0) * i / 4;
            g.drawString(String.format(Locale.ROOT, "%.0f", s), ax.x(s) - 12, H - BOTTOM + 18);
        }
        g.drawString("step", W / 2 - 10, H - 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, LEFT, 24);

        g.setStroke(new BasicStroke(1f));
        g.setColor(new Color(150, 180, 230));
        g.draw(line(ax, d[0], d[1]));
        double[] smooth = new double[d[1].length];
        double s = 0, weight = 0;
        for (int i = 0; i < smooth.length; i++) { // EMA with bias correction, so the start does not lag
            s = 0.9 * s + 0.1 * d[1][i];
            weight = 0.9 * weight + 0.1;
            smooth[i] = s / weight;
        }
        g.setStroke(new BasicStroke(2.5f));
        g.setColor(new Color(200, 60, 30));
        g.draw(line(ax, d[0], smooth));
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("smoothed (EMA 0.9 of logged rows)", W - 260, 24);
        g.setColor(new Color(90, 130, 200));
        g.drawString("loss per logged row", W - 400, 24);
        g.dispose();
        org.diffusionexplorer.io.AtomicFiles.write(png, out -> {
            if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer");
        });
    }

    private static Path2D line(Axes ax, double[] xs, double[] ys) {
        Path2D p = new Path2D.Double();
        for (int i = 0; i < xs.length; i++) {
            double px = ax.x(xs[i]), py = ax.y(Math.log10(ys[i]));
            if (i == 0) p.moveTo(px, py);
            else p.lineTo(px, py);
        }
        return p;
    }

    /** Data (step, log10 loss) to pixels. */
    private record Axes(double x0, double x1, double lo, double hi) {
        int x(double step) {
            return (int) Math.round(LEFT + (step - x0) / Math.max(1e-9, x1 - x0) * (W - LEFT - RIGHT));
        }

        int y(double logLoss) {
            return (int) Math.round(H - BOTTOM - (logLoss - lo) / (hi - lo) * (H - TOP - BOTTOM));
        }
    }
}
