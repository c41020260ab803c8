package org.diffusionexplorer.data;

/**
 * A decoded 8-bit image in one of the PIL modes the reference can meet: L, LA, RGB, RGBA, CMYK, or
 * a palette image (P) already expanded to RGB. Samples are interleaved, row-major, 0..255.
 * Keeping the PIL mode matters because PIL resizes each mode differently (P with nearest
 * neighbour, LA/RGBA with premultiplied alpha) before the reference's convert("RGB").
 */
public final class Image8 {

    /** The PIL modes; {@code P} is stored as 3 bands (the palette colours). */
    public enum Mode {
        L(1), LA(2), RGB(3), RGBA(4), P(3), CMYK(4);

        public final int bands;

        Mode(int bands) {
            this.bands = bands;
        }
    }

    public final int width;
    public final int height;
    public final Mode mode;
    /** width * height * mode.bands samples, each 0..255. */
    public final byte[] data;

    public Image8(int width, int height, Mode mode, byte[] data) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("empty image " + width + "x" + height);
        if (data.length != (long) width * height * mode.bands) {
            throw new IllegalArgumentException("expected " + (long) width * height * mode.bands + " samples, got " + data.length);
        }
        this.width = width;
        this.height = height;
        this.mode = mode;
        this.data = data;
    }

    public int bands() {
        return mode.bands;
    }

    /** Sample of band b at (x, y), 0..255. */
    public int get(int x, int y, int b) {
        return data[(y * width + x) * mode.bands + b] & 0xff;
    }

    /** A constant image, handy for tests and padding. */
    public static Image8 filled(int width, int height, Mode mode, int... values) {
        byte[] d = new byte[width * height * mode.bands];
        for (int i = 0; i < d.length; i++) d[i] = (byte) values[i % mode.bands];
        return new Image8(width, height, mode, d);
    }
}
