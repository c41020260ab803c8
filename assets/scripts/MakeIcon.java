import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Draws the application icon: a 16x16 grid of "pixels" where a hand-written 2 emerges from Gaussian
 * noise, left to right, mixed exactly as the forward process mixes them
 * (sqrt(abar) * digit + sqrt(1 - abar) * noise, abar rising from 0 on the left to 1 on the right).
 * Fixed seed, no fonts: the same bytes on every machine.
 *
 * <p>Writes into the given folder: diffusion-explorer.png (256 px; Linux installers and the .deb menu
 * entry), diffusion-explorer.ico (16-256 px, PNG entries; Windows .msi) and diffusion-explorer.icns
 * (16-512 px, PNG entries; macOS .dmg).
 *
 * <p>{@code java assets/scripts/MakeIcon.java assets/icons}
 */
public final class MakeIcon {
    private static final int GRID = 16;
    private static final int BASE = 512;

    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path dir = Path.of(args.length > 0 ? args[0] : "assets/icons");
        Files.createDirectories(dir);
        BufferedImage base = draw(BASE);
        ImageIO.write(scale(base, 256), "png", dir.resolve("diffusion-explorer.png").toFile());
        Files.write(dir.resolve("diffusion-explorer.ico"), ico(base, 16, 24, 32, 48, 64, 128, 256));
        Files.write(dir.resolve("diffusion-explorer.icns"), icns(base));
        System.out.println("wrote diffusion-explorer.png, .ico, .icns to " + dir);
    }

    /** The digit as coverage per grid cell, 0..1: a stroked "2" rendered large and averaged per cell. */
    private static float[][] digit() {
        int s = GRID * 32;
        BufferedImage m = new BufferedImage(s, s, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = m.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.setStroke(new BasicStroke(s * 0.13f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        Path2D p = new Path2D.Double();
        p.moveTo(0.27 * s, 0.33 * s);
        p.curveTo(0.30 * s, 0.12 * s, 0.70 * s, 0.10 * s, 0.71 * s, 0.33 * s);
        p.curveTo(0.72 * s, 0.50 * s, 0.45 * s, 0.62 * s, 0.28 * s, 0.80 * s);
        p.lineTo(0.76 * s, 0.80 * s);
        g.draw(p);
        g.dispose();
        float[][] c = new float[GRID][GRID];
        int cell = s / GRID;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                c[y / cell][x / cell] += (m.getRaster().getSample(x, y, 0) / 255f) / (cell * cell);
            }
        }
        return c;
    }

    private static BufferedImage draw(int size) {
        float[][] digit = digit();
        Random noise = new Random(5);
        BufferedImage im = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = im.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        double margin = size * 0.04, arc = size * 0.2;
        g.setColor(new Color(0x1b2230));
        g.fill(new RoundRectangle2D.Double(margin, margin, size - 2 * margin, size - 2 * margin, arc, arc));
        double inner = size * 0.10, cell = (size - 2 * inner) / GRID, gap = cell * 0.08;
        Color dark = new Color(0x25324a), bright = new Color(0xffe9a8);
        for (int row = 0; row < GRID; row++) {
            for (int col = 0; col < GRID; col++) {
                double u = col / (double) (GRID - 1);
                double abar = smoothstep(0.12, 0.80, u);
                double signal = digit[row][col] * 2 - 1; // -1 background, +1 stroke, like a [-1, 1] scaled image
                double v = Math.sqrt(abar) * signal + Math.sqrt(1 - abar) * noise.nextGaussian();
                double t = Math.max(0, Math.min(1, (v + 1) / 2));
                g.setColor(mix(dark, bright, t));
                g.fill(new RoundRectangle2D.Double(inner + col * cell + gap / 2, inner + row * cell + gap / 2,
                        cell - gap, cell - gap, cell * 0.25, cell * 0.25));
            }
        }
        g.dispose();
        return im;
    }

    private static double smoothstep(double a, double b, double x) {
        double t = Math.max(0, Math.min(1, (x - a) / (b - a)));
        return t * t * (3 - 2 * t);
    }

    private static Color mix(Color a, Color b, double t) {
        return new Color((int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
                (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
                (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
    }

    /** Halves with bilinear filtering until the target size, so small icons stay smooth. */
    private static BufferedImage scale(BufferedImage src, int size) {
        BufferedImage cur = src;
        while (cur.getWidth() != size) {
            int next = Math.max(size, cur.getWidth() / 2);
            BufferedImage dst = new BufferedImage(next, next, BufferedImage.TYPE_INT_ARGB);
            Graphics2D g = dst.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(cur, 0, 0, next, next, null);
            g.dispose();
            cur = dst;
        }
        return cur;
    }

    private static byte[] png(BufferedImage im) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(im, "png", out);
        return out.toByteArray();
    }

    /** Windows .ico with PNG-compressed entries (read by Windows Vista and later). */
    private static byte[] ico(BufferedImage base, int... sizes) throws IOException {
        List<byte[]> pngs = new ArrayList<>();
        for (int s : sizes) pngs.add(png(scale(base, s)));
        int offset = 6 + 16 * sizes.length;
        ByteBuffer b = ByteBuffer.allocate(offset + pngs.stream().mapToInt(p -> p.length).sum()).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) 0).putShort((short) 1).putShort((short) sizes.length);
        for (int i = 0; i < sizes.length; i++) {
            int s = sizes[i] >= 256 ? 0 : sizes[i]; // 0 means 256
            b.put((byte) s).put((byte) s).put((byte) 0).put((byte) 0);
            b.putShort((short) 1).putShort((short) 32).putInt(pngs.get(i).length).putInt(offset);
            offset += pngs.get(i).length;
        }
        for (byte[] p : pngs) b.put(p);
        return b.array();
    }

    /** macOS .icns with PNG entries: icp4 16, icp5 32, icp6 64, ic07 128, ic08 256, ic09 512 (macOS 10.7+). */
    private static byte[] icns(BufferedImage base) throws IOException {
        String[] types = {"icp4", "icp5", "icp6", "ic07", "ic08", "ic09"};
        int[] sizes = {16, 32, 64, 128, 256, 512};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(body); // big-endian, as icns wants
        for (int i = 0; i < types.length; i++) {
            byte[] p = png(scale(base, sizes[i]));
            d.writeBytes(types[i]);
            d.writeInt(8 + p.length);
            d.write(p);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        DataOutputStream a = new DataOutputStream(all);
        a.writeBytes("icns");
        a.writeInt(8 + body.size());
        a.write(body.toByteArray());
        return all.toByteArray();
    }

    private MakeIcon() {}
}
