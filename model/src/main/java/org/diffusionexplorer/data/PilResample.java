package org.diffusionexplorer.data;

/**
 * Image resizing with Pillow's arithmetic, so that our preprocessing gives the same bytes as the
 * reference's {@code Image.resize}: separable filters whose support widens with the
 * downscale factor (antialiasing), coefficients normalised then rounded to 22-bit fixed point,
 * horizontal pass first, each pass rounded and clipped to 0..255. Palette images use nearest
 * neighbour and images with alpha are resized premultiplied, as Pillow does.
 */
public final class PilResample {

    /** The two filters the reference uses, plus nearest (what Pillow forces for palette images). */
    public enum Filter {
        NEAREST(0), BOX(0.5), BICUBIC(2.0);

        final double support;

        Filter(double support) {
            this.support = support;
        }

        double weight(double x) {
            switch (this) {
                case BOX:
                    return (x > -0.5 && x <= 0.5) ? 1.0 : 0.0;
                case BICUBIC: {
                    final double a = -0.5; // Pillow's (and Keys') choice
                    double ax = Math.abs(x);
                    if (ax < 1.0) return ((a + 2.0) * ax - (a + 3.0)) * ax * ax + 1;
                    if (ax < 2.0) return (((ax - 5) * ax + 8) * ax - 4) * a;
                    return 0.0;
                }
                default:
                    throw new IllegalStateException("nearest has no kernel");
            }
        }
    }

    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PilResample() {
    }

    /** Pillow's {@code im.resize((w, h), filter)}. */
    public static Image8 resize(Image8 im, int w, int h, Filter filter) {
        if (w <= 0 || h <= 0) throw new IllegalArgumentException("target size " + w + "x" + h);
        if (w == im.width && h == im.height) return new Image8(w, h, im.mode, im.data.clone());
        if (im.mode == Image8.Mode.P || filter == Filter.NEAREST) return nearest(im, w, h);
        if (im.mode == Image8.Mode.LA || im.mode == Image8.Mode.RGBA) {
            return unpremultiply(resample(premultiply(im), w, h, filter));
        }
        return resample(im, w, h, filter);
    }

    /** Per output pixel: first source index and the fixed-point weights of the taps. */
    private static final class Coeffs {
        final int[] start;
        final int[][] k;

        Coeffs(int n) {
            start = new int[n];
            k = new int[n][];
        }
    }

    private static Coeffs coeffs(int inSize, int outSize, Filter f) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = f.support * filterScale;
        Coeffs c = new Coeffs(outSize);
        for (int xx = 0; xx < outSize; xx++) {
            double center = (xx + 0.5) * scale;
            double ss = 1.0 / filterScale;
            int xmin = Math.max((int) (center - support + 0.5), 0); // C truncation, as Pillow
            int xmax = Math.min((int) (center + support + 0.5), inSize) - xmin;
            double[] w = new double[Math.max(xmax, 0)];
            double ww = 0.0;
            for (int x = 0; x < w.length; x++) {
                w[x] = f.weight((x + xmin - center + 0.5) * ss);
                ww += w[x];
            }
            int[] k = new int[w.length];
            for (int x = 0; x < w.length; x++) {
                double v = ww != 0.0 ? w[x] / ww : w[x];
                k[x] = (int) (v < 0 ? -0.5 + v * (1 << PRECISION_BITS) : 0.5 + v * (1 << PRECISION_BITS));
            }
            c.start[xx] = xmin;
            c.k[xx] = k;
        }
        return c;
    }

    private static int clip8(int acc) {
        int v = acc >> PRECISION_BITS;
        return v < 0 ? 0 : Math.min(v, 255);
    }

    private static Image8 resample(Image8 im, int w, int h, Filter f) {
        int bands = im.bands();
        Coeffs cv = coeffs(im.height, h, f);
        Image8 src = im;
        int rowOffset = 0;
        if (w != im.width) {
            // Pillow resamples horizontally only the source rows the vertical pass will read.
            int first = cv.start[0];
            int last = cv.start[h - 1] + cv.k[h - 1].length;
            Coeffs ch = coeffs(im.width, w, f);
            byte[] out = new byte[w * (last - first) * bands];
            for (int y = first; y < last; y++) {
                int inRow = y * im.width * bands;
                int outRow = (y - first) * w * bands;
                for (int xx = 0; xx < w; xx++) {
                    int[] k = ch.k[xx];
                    int base = inRow + ch.start[xx] * bands;
                    for (int b = 0; b < bands; b++) {
                        int acc = 1 << (PRECISION_BITS - 1);
                        for (int x = 0; x < k.length; x++) acc += (im.data[base + x * bands + b] & 0xff) * k[x];
                        out[outRow + xx * bands + b] = (byte) clip8(acc);
                    }
                }
            }
            src = new Image8(w, last - first, im.mode, out);
            rowOffset = first;
        }
        if (h == im.height) return src;
        byte[] out = new byte[src.width * h * bands];
        int stride = src.width * bands;
        for (int yy = 0; yy < h; yy++) {
            int[] k = cv.k[yy];
            int y0 = cv.start[yy] - rowOffset;
            for (int i = 0; i < stride; i++) {
                int acc = 1 << (PRECISION_BITS - 1);
                for (int y = 0; y < k.length; y++) acc += (src.data[(y0 + y) * stride + i] & 0xff) * k[y];
                out[yy * stride + i] = (byte) clip8(acc);
            }
        }
        return new Image8(src.width, h, im.mode, out);
    }

    /** Pillow's nearest: source index floor((x + 0.5) * in / out). */
    private static Image8 nearest(Image8 im, int w, int h) {
        int bands = im.bands();
        double sx = (double) im.width / w, sy = (double) im.height / h;
        byte[] out = new byte[w * h * bands];
        for (int y = 0; y < h; y++) {
            int yin = Math.min((int) ((y + 0.5) * sy), im.height - 1);
            for (int x = 0; x < w; x++) {
                int xin = Math.min((int) ((x + 0.5) * sx), im.width - 1);
                System.arraycopy(im.data, (yin * im.width + xin) * bands, out, (y * w + x) * bands, bands);
            }
        }
        return new Image8(w, h, im.mode, out);
    }

    /** RGBA -> RGBa (and LA -> La): colour * alpha / 255 with Pillow's rounding. */
    static Image8 premultiply(Image8 im) {
        int bands = im.bands();
        byte[] d = im.data.clone();
        for (int p = 0; p < d.length; p += bands) {
            int a = d[p + bands - 1] & 0xff;
            for (int b = 0; b < bands - 1; b++) {
                int t = (d[p + b] & 0xff) * a + 128;
                d[p + b] = (byte) (((t >> 8) + t) >> 8);
            }
        }
        return new Image8(im.width, im.height, im.mode, d);
    }

    /** RGBa -> RGBA: colour * 255 / alpha (integer division, clipped); alpha 0 or 255 kept. */
    static Image8 unpremultiply(Image8 im) {
        int bands = im.bands();
        byte[] d = im.data.clone();
        for (int p = 0; p < d.length; p += bands) {
            int a = d[p + bands - 1] & 0xff;
            if (a == 0 || a == 255) continue;
            for (int b = 0; b < bands - 1; b++) d[p + b] = (byte) Math.min(255, 255 * (d[p + b] & 0xff) / a);
        }
        return new Image8(im.width, im.height, im.mode, d);
    }
}
