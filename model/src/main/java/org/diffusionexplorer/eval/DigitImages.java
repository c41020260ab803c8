package org.diffusionexplorer.eval;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Brings any run's images to what the classifier reads: one channel, 28 x 28, values in [-1, 1].
 * Three channels become luma (ITU-R 601, Pillow's convert("L") weights, linear so it commutes with
 * the [-1, 1] scaling); other sizes are resized bilinearly (pixel centres aligned, edges clamped),
 * so a 32 x 32 preset-A run or an 8 x 8 tiny run can be evaluated with the same classifier.
 */
public final class DigitImages {
    public static final int SIZE = 28;

    private DigitImages() {}

    /** [N, C, H, W] (C = 1 or 3, H = W) -> float32 [N, 1, 28, 28]; an array already in that form is returned as it is. */
    public static INDArray prepare(INDArray images) {
        if (images.rank() != 4) throw new IllegalArgumentException("images must be [N, C, H, W], got rank " + images.rank());
        int n = (int) images.size(0), c = (int) images.size(1), h = (int) images.size(2), w = (int) images.size(3);
        if (c != 1 && c != 3) throw new IllegalArgumentException("images must have 1 or 3 channels, got " + c);
        if (c == 1 && h == SIZE && w == SIZE && images.dataType() == DataType.FLOAT) return images;
        float[] in = images.castTo(DataType.FLOAT).dup('c').data().asFloat();
        float[] out = new float[n * SIZE * SIZE];
        float[] gray = new float[h * w];
        for (int i = 0; i < n; i++) {
            int base = i * c * h * w;
            for (int p = 0; p < h * w; p++) {
                gray[p] = c == 1 ? in[base + p]
                        : 0.299f * in[base + p] + 0.587f * in[base + h * w + p] + 0.114f * in[base + 2 * h * w + p];
            }
            resize(gray, h, w, out, i * SIZE * SIZE);
        }
        return Nd4j.create(out, new long[] {n, 1, SIZE, SIZE}, 'c');
    }

    /** Bilinear resize of one h x w plane into the 28 x 28 plane at {@code out[offset]}. */
    static void resize(float[] src, int h, int w, float[] out, int offset) {
        for (int y = 0; y < SIZE; y++) {
            double sy = Math.min(Math.max((y + 0.5) * h / SIZE - 0.5, 0), h - 1);
            int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < SIZE; x++) {
                double sx = Math.min(Math.max((x + 0.5) * w / SIZE - 0.5, 0), w - 1);
                int x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
                double bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
                out[offset + y * SIZE + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
    }
}
