package org.diffusionexplorer.train;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;

/** Tiny configurations and image folders made at test time, so training tests take seconds. */
final class TinyRuns {
    private TinyRuns() {}

    /** {@code n} 8x8 grayscale PNGs (stripes and blocks), labelled a_/b_ by parity. */
    static Path imageFolder(Path dir, int n) throws IOException {
        Files.createDirectories(dir);
        for (int i = 0; i < n; i++) {
            BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            WritableRaster r = im.getRaster();
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    boolean on = i % 2 == 0 ? ((x + i) / 2) % 2 == 0 : ((y + i) / 2) % 2 == 0;
                    r.setSample(x, y, 0, on ? 230 : 20);
                }
            }
            ImageIO.write(im, "png", dir.resolve((i % 2 == 0 ? "a_" : "b_") + i + ".png").toFile());
        }
        return dir;
    }

    /** The tiny preset on {@code data}: batch 4, checkpoints every {@code save} steps, no sample grids. */
    static RunConfig config(Path data, int save) {
        RunConfig base = RunConfig.tiny();
        TrainingSettings t = base.training().with(4, 1e-3, List.of(0.99), true, 1, save, 0);
        return base.withTraining(t).withData(base.data().withDataDir(data.toString()));
    }
}
