package org.diffusionexplorer.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** A PNG contact sheet of preprocessed dataset images: what the model will actually see. */
public final class PreviewGrid {
    private static final int GAP = 2;
    private static final int BACKGROUND = 0x404040;

    private PreviewGrid() {
    }

    /**
     * Writes {@code count} images (the first of the seeded epoch-0 order, skipping unreadable
     * ones) in a square-ish grid, each pixel repeated {@code scale} times. Returns how many were drawn.
     */
    public static int write(ImageDataset ds, int count, long seed, int scale, Path out) throws IOException {
        if (count <= 0 || scale <= 0) throw new IllegalArgumentException("count and scale must be positive");
        count = Math.min(count, ds.size());
        int cols = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + cols - 1) / cols;
        int s = ds.imageSize(), cell = s * scale + GAP, plane = s * s;
        BufferedImage grid = new BufferedImage(cols * cell + GAP, rows * cell + GAP, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < grid.getHeight(); y++) for (int x = 0; x < grid.getWidth(); x++) grid.setRGB(x, y, BACKGROUND);
        int[] order = BatchIterator.epochOrder(ds.size(), seed, 0);
        int drawn = 0;
        for (int k = 0; k < order.length && drawn < count; k++) {
            byte[] px;
            try {
                px = ds.pixels(order[k]);
            } catch (ImageDecodeException e) {
                continue;
            }
            int ox = GAP + (drawn % cols) * cell, oy = GAP + (drawn / cols) * cell;
            for (int y = 0; y < s * scale; y++) {
                for (int x = 0; x < s * scale; x++) {
                    int p = (y / scale) * s + x / scale;
                    int r = px[p] & 0xff;
                    int g = ds.channels() == 3 ? px[plane + p] & 0xff : r;
                    int b = ds.channels() == 3 ? px[2 * plane + p] & 0xff : r;
                    grid.setRGB(ox + x, oy + y, (r << 16) | (g << 8) | b);
                }
            }
            drawn++;
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        if (!ImageIO.write(grid, "png", out.toFile())) throw new IOException("no PNG writer");
        return drawn;
    }
}
