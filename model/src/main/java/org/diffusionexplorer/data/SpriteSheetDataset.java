package org.diffusionexplorer.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Equal-sized images tiled row by row in one PNG, with one label per line in a text file: how the
 * bundled MNIST is stored (one file instead of 10,000). Every tile goes through the same
 * preprocessing as a folder image, and all of them are decoded at open (they are small).
 */
public final class SpriteSheetDataset extends LabelledImages {
    private final String name;
    private final byte[][] images;
    private final LoadSummary summary;

    private SpriteSheetDataset(String name, DatasetOptions options, byte[][] images, List<String> classOfImage) {
        super(options, classOfImage, Comparator.naturalOrder());
        this.name = name;
        this.images = images;
        this.summary = new LoadSummary(name);
        summary.setLoaded(images.length);
    }

    /**
     * @param sheet  PNG holding the tiles, left to right then top to bottom
     * @param labels text file, one label per line; its line count is the number of tiles
     * @param tile   tile width and height in pixels
     */
    public static SpriteSheetDataset open(String name, Path sheet, Path labels, int tile, DatasetOptions options) {
        Image8 im;
        List<String> names = new ArrayList<>();
        try {
            im = ImageDecoder.read(sheet, Long.MAX_VALUE, options.size());
            for (String line : Files.readAllLines(labels, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) names.add(line.strip());
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read the bundled dataset " + name + " (" + sheet + "): " + e.getMessage());
        }
        int perRow = im.width / tile;
        int n = names.size();
        if (perRow == 0 || (n + perRow - 1) / perRow * tile > im.height) {
            throw new DatasetException(sheet + " is too small for " + n + " tiles of " + tile + "x" + tile);
        }
        byte[][] images = new byte[n][];
        int bands = im.bands();
        for (int i = 0; i < n; i++) {
            int ox = (i % perRow) * tile, oy = (i / perRow) * tile;
            byte[] d = new byte[tile * tile * bands];
            for (int y = 0; y < tile; y++) {
                System.arraycopy(im.data, ((oy + y) * im.width + ox) * bands, d, y * tile * bands, tile * bands);
            }
            images[i] = Preprocess.toCHW(new Image8(tile, tile, im.mode, d), options.size(), options.channels());
        }
        return new SpriteSheetDataset(name, options, images, names);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int size() {
        return images.length;
    }

    @Override
    public String describe(int i) {
        return name + "#" + i;
    }

    @Override
    public byte[] pixels(int i) {
        return images[i];
    }

    @Override
    public LoadSummary summary() {
        return summary;
    }
}
