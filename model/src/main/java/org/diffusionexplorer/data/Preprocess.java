package org.diffusionexplorer.data;

/**
 * The reference's per-image preprocessing (improved_diffusion/image_datasets.py), in PIL's
 * arithmetic: halve with a box filter while the short side is at least twice the target, bicubic
 * resize so the short side equals the target, centre crop, convert to RGB (or L for a
 * one-channel dataset; CMYK converts as Pillow's cmyk2rgb). Results are uint8 channels-first; {@link #toFloat} maps them to [-1, 1].
 */
public final class Preprocess {

    private Preprocess() {
    }

    /** Box-halving then bicubic resize so that min(width, height) == size (no crop yet). */
    public static Image8 fitShortSide(Image8 im, int size) {
        if (size <= 0) throw new IllegalArgumentException("size must be positive: " + size);
        while (Math.min(im.width, im.height) >= 2 * size) {
            im = PilResample.resize(im, im.width / 2, im.height / 2, PilResample.Filter.BOX);
        }
        double scale = (double) size / Math.min(im.width, im.height);
        // Python's round() rounds halves to even, like Math.rint.
        int w = (int) Math.rint(im.width * scale), h = (int) Math.rint(im.height * scale);
        return PilResample.resize(im, w, h, PilResample.Filter.BICUBIC);
    }

    /**
     * The whole pipeline: fit, centre crop ((w - size) // 2, as numpy slicing), convert to
     * {@code channels} (3 = PIL convert("RGB"): alpha dropped; 1 = convert("L"): ITU-R 601-2 luma),
     * channels first. Returns channels*size*size bytes, 0..255.
     */
    public static byte[] toCHW(Image8 im, int size, int channels) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3: " + channels);
        Image8 fit = fitShortSide(im, size);
        int cy = (fit.height - size) / 2, cx = (fit.width - size) / 2; // both >= 0 here
        int plane = size * size, bands = fit.bands();
        byte[] out = new byte[channels * plane];
        boolean gray = fit.mode == Image8.Mode.L || fit.mode == Image8.Mode.LA;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int p = ((y + cy) * fit.width + (x + cx)) * bands;
                int o = y * size + x;
                if (gray) {
                    byte l = fit.data[p];
                    for (int c = 0; c < channels; c++) out[c * plane + o] = l;
                } else if (fit.mode == Image8.Mode.CMYK) {
                    int nk = 255 - (fit.data[p + 3] & 0xff);
                    int r = nk - mulDiv255(fit.data[p] & 0xff, nk);
                    int g = nk - mulDiv255(fit.data[p + 1] & 0xff, nk);
                    int b = nk - mulDiv255(fit.data[p + 2] & 0xff, nk);
                    if (channels == 3) {
                        out[o] = (byte) r;
                        out[plane + o] = (byte) g;
                        out[2 * plane + o] = (byte) b;
                    } else {
                        out[o] = (byte) luma(r, g, b);
                    }
                } else if (channels == 3) {
                    out[o] = fit.data[p];
                    out[plane + o] = fit.data[p + 1];
                    out[2 * plane + o] = fit.data[p + 2];
                } else {
                    out[o] = (byte) luma(fit.data[p] & 0xff, fit.data[p + 1] & 0xff, fit.data[p + 2] & 0xff);
                }
            }
        }
        return out;
    }

    /** Pillow's a*b/255 with rounding (MULDIV255). */
    static int mulDiv255(int a, int b) {
        int t = a * b + 128;
        return ((t >> 8) + t) >> 8;
    }

    /** PIL's RGB -> L: (R*19595 + G*38470 + B*7471 + 0x8000) >> 16. */
    static int luma(int r, int g, int b) {
        return (r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16;
    }

    /** x / 127.5 - 1 in float32, as the reference; writes src.length values at dst[offset..]. */
    public static void toFloat(byte[] src, float[] dst, int offset) {
        for (int i = 0; i < src.length; i++) dst[offset + i] = (src[i] & 0xff) / 127.5f - 1f;
    }
}
