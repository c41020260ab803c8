package org.diffusionexplorer.app.denoising;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.diffusionexplorer.app.view.PixelGrid;
import org.diffusionexplorer.data.ImageGrid;

/** The exports of a sampling run: a PNG strip of frames in a row, and an animated GIF of all stored frames. */
final class FrameExport {
    /** Frames in a strip: enough to read the process, few enough to stay a readable width. */
    static final int STRIP_FRAMES = 10;
    /** Exported images are scaled so a 28 px digit is 84 px: small models stay visible. */
    private static final int TARGET_PX = 84;

    private FrameExport() {
    }

    /** Top row x_t, bottom row predicted x_0, at evenly spaced frames from the first to the last. */
    static void strip(List<RenderedFrame> frames, Path file) throws IOException {
        List<PixelGrid> xt = new ArrayList<>(), x0 = new ArrayList<>();
        for (RenderedFrame f : pick(frames, STRIP_FRAMES)) {
            xt.add(f.xt());
            x0.add(f.x0());
        }
        int gap = 4;
        PixelGrid strip = PixelGrid.column(List.of(PixelGrid.row(xt, gap), PixelGrid.row(x0, gap)), gap);
        ImageGrid.writePng(strip.scaled(scale(frames)).toAwt(), file);
    }

    /** Every stored frame: x_t beside predicted x_0; the finished samples stay on screen for two seconds. */
    static void gif(List<RenderedFrame> frames, int delayMs, Path file) throws IOException {
        int k = scale(frames);
        List<PixelGrid> out = new ArrayList<>();
        for (RenderedFrame f : frames) out.add(PixelGrid.row(List.of(f.xt(), f.x0()), 2).scaled(k));
        GifWriter.write(out, delayMs, 2000, file);
    }

    static List<RenderedFrame> pick(List<RenderedFrame> frames, int n) {
        if (frames.size() <= n) return frames;
        List<RenderedFrame> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(frames.get((int) Math.round(i * (frames.size() - 1) / (double) (n - 1))));
        return out;
    }

    private static int scale(List<RenderedFrame> frames) {
        int tile = frames.get(0).frame().xt().get(0).height();
        return Math.max(1, Math.round(TARGET_PX / (float) tile));
    }
}
