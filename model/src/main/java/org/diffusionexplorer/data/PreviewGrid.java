package org.diffusionexplorer.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A PNG contact sheet of preprocessed dataset images: what the model will actually see. */
public final class PreviewGrid {
    private PreviewGrid() {
    }

    /**
     * Writes {@code count} images (the first of the seeded epoch-0 order, skipping unreadable
     * ones) in a square-ish grid ({@link ImageGrid}), each pixel repeated {@code scale} times.
     * Returns how many were drawn.
     */
    public static int write(ImageDataset ds, int count, long seed, int scale, Path out) throws IOException {
        if (count <= 0 || scale <= 0) throw new IllegalArgumentException("count and scale must be positive");
        count = Math.min(count, ds.size());
        int[] order = BatchIterator.epochOrder(ds.size(), seed, 0);
        List<byte[]> tiles = new ArrayList<>(count);
        for (int k = 0; k < order.length && tiles.size() < count; k++) {
            try {
                tiles.add(ds.pixels(order[k]));
            } catch (ImageDecodeException e) {
                // skipped, as the loader skips it; the caller's count says how many were drawn
            }
        }
        ImageGrid.writeTiles(tiles, ds.channels(), ds.imageSize(), scale, out);
        return tiles.size();
    }
}
