package org.diffusionexplorer.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

/**
 * Reads PNG/JPEG/GIF files into {@link Image8} in the PIL mode the reference would see. Raw
 * samples are used (no colour management: PIL ignores ICC profiles too). Anything odd becomes an
 * {@link ImageDecodeException} with a short reason, never another exception type.
 */
public final class ImageDecoder {

    /** Above this many pixels a file is decoded subsampled, so a huge photo never needs a 400 MB raster. */
    public static final long DEFAULT_MAX_PIXELS = 24_000_000L;

    /**
     * Larger images are refused from their header, before any pixel is decoded: Pillow's
     * DecompressionBombError limit (2 x Image.MAX_IMAGE_PIXELS). A 100 KB PNG can declare 10^10
     * pixels; even subsampled, inflating it would take minutes.
     */
    public static final long MAX_IMAGE_PIXELS = 2L * 89_478_485L;

    static {
        ImageIO.setUseCache(false); // decode in memory, no temp files
    }

    private ImageDecoder() {
    }

    /** Width and height from the header only; cheap, used to weed out non-images at open time. */
    public static int[] probe(Path file) throws ImageDecodeException {
        try (Reader r = open(file)) {
            return checkSize(r.reader.getWidth(0), r.reader.getHeight(0));
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    /**
     * Decodes the first frame. When width*height exceeds maxPixels, reads every f-th pixel
     * (f a power of two) but never so coarsely that the short side falls below 2*targetSize, so
     * the box halving that follows still has real pixels to average.
     */
    public static Image8 read(Path file, long maxPixels, int targetSize) throws ImageDecodeException {
        try (Reader r = open(file)) {
            ImageReader reader = r.reader;
            int w = reader.getWidth(0), h = reader.getHeight(0);
            checkSize(w, h);
            ImageReadParam param = reader.getDefaultReadParam();
            int f = 1;
            while ((long) (w / f) * (h / f) > maxPixels && Math.min(w, h) / (2 * f) >= 2 * targetSize) f *= 2;
            if (f > 1) param.setSourceSubsampling(f, f, 0, 0);
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((src, msg) -> warnings.add(msg));
            BufferedImage bi = reader.read(0, param);
            if (!warnings.isEmpty()) throw new ImageDecodeException("corrupt or truncated: " + warnings.get(0));
            return pillowMode(reader, bi, toImage8(bi));
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw failure(e);
        }
    }

    private static int[] checkSize(int w, int h) throws ImageDecodeException {
        if (w <= 0 || h <= 0) throw new ImageDecodeException("corrupt header: size " + w + "x" + h);
        if ((long) w * h > MAX_IMAGE_PIXELS) {
            throw new ImageDecodeException(String.format(java.util.Locale.ROOT,
                    "%dx%d pixels is more than the limit of %,d (a decompression bomb?)", w, h, MAX_IMAGE_PIXELS));
        }
        return new int[] {w, h};
    }

    /** Converts a decoded image; 16-bit samples keep their high byte, low bit depths are scaled up. */
    public static Image8 toImage8(BufferedImage bi) throws ImageDecodeException {
        int w = bi.getWidth(), h = bi.getHeight();
        ColorModel cm = bi.getColorModel();
        if (cm instanceof ComponentColorModel) {
            int csType = cm.getColorSpace().getType();
            Image8.Mode mode;
            if (csType == ColorSpace.TYPE_GRAY) mode = cm.hasAlpha() ? Image8.Mode.LA : Image8.Mode.L;
            else if (csType == ColorSpace.TYPE_RGB) mode = cm.hasAlpha() ? Image8.Mode.RGBA : Image8.Mode.RGB;
            else if (csType == ColorSpace.TYPE_CMYK && !cm.hasAlpha()) mode = Image8.Mode.CMYK; // Adobe inversion already undone by ImageIO, as by Pillow
            else throw new ImageDecodeException("unsupported colour space (" + colourSpaceName(csType) + ")");
            if (cm.getNumComponents() != mode.bands) throw new ImageDecodeException("unexpected band count " + cm.getNumComponents());
            int bits = cm.getComponentSize(0);
            int max = (1 << bits) - 1;
            Raster r = bi.getRaster();
            int[] row = new int[w * mode.bands];
            byte[] d = new byte[w * h * mode.bands];
            for (int y = 0; y < h; y++) {
                r.getPixels(0, y, w, 1, row);
                for (int i = 0; i < row.length; i++) {
                    int v = row[i];
                    if (bits > 8) v >>>= bits - 8;
                    else if (bits < 8) v = v * 255 / max;
                    d[y * row.length + i] = (byte) v;
                }
            }
            return new Image8(w, h, mode, d);
        }
        // PIL mode "P": the palette colours; its alpha (tRNS) is dropped by convert("RGB") anyway.
        // Packed RGB(A) from other readers: getRGB gives non-premultiplied sRGB.
        boolean palette = cm instanceof IndexColorModel, alpha = !palette && cm.hasAlpha();
        Image8.Mode mode = palette ? Image8.Mode.P : alpha ? Image8.Mode.RGBA : Image8.Mode.RGB;
        byte[] d = new byte[w * h * mode.bands];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            bi.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * mode.bands;
                d[p] = (byte) (row[x] >> 16);
                d[p + 1] = (byte) (row[x] >> 8);
                d[p + 2] = (byte) row[x];
                if (alpha) d[p + 3] = (byte) (row[x] >>> 24);
            }
        }
        return new Image8(w, h, mode, d);
    }

    /**
     * Pillow's mode where ImageIO's colour model says otherwise. ImageIO hands 2- and 4-bit gray
     * PNGs and GIFs with the identity gray palette over with a colour map, Pillow opens them as L
     * (P would be resized with nearest neighbour); ImageIO turns a tRNS colour key of an RGB or gray
     * PNG into an alpha channel, Pillow keeps RGB / L (and convert("RGB") ignores the key).
     */
    private static Image8 pillowMode(ImageReader reader, BufferedImage bi, Image8 im) throws IOException {
        String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
        if (format.equals("gif") && im.mode == Image8.Mode.P) {
            IndexColorModel icm = (IndexColorModel) bi.getColorModel();
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (icm.getRed(i) != i || icm.getGreen(i) != i || icm.getBlue(i) != i) return im;
            }
            return dropBands(im, Image8.Mode.L);
        }
        if (!format.equals("png")) return im;
        String[] ihdr = pngHeader(reader);
        if (ihdr == null) return im;
        String type = ihdr[0], depth = ihdr[1];
        // 1-bit gray is Pillow's mode "1", which is also resized with nearest neighbour: keep P.
        if (im.mode == Image8.Mode.P && type.equals("Grayscale") && (depth.equals("2") || depth.equals("4"))) {
            return dropBands(im, Image8.Mode.L);
        }
        if (im.mode == Image8.Mode.RGBA && type.equals("RGB")) return dropBands(im, Image8.Mode.RGB);
        if (im.mode == Image8.Mode.LA && type.equals("Grayscale")) return dropBands(im, Image8.Mode.L);
        return im;
    }

    /** {colorType, bitDepth} from the PNG IHDR, or null. */
    private static String[] pngHeader(ImageReader reader) throws IOException {
        IIOMetadata md = reader.getImageMetadata(0);
        if (md == null) return null;
        Node root = md.getAsTree("javax_imageio_png_1.0");
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n.getNodeName().equals("IHDR")) {
                NamedNodeMap a = n.getAttributes();
                return new String[] {a.getNamedItem("colorType").getNodeValue(), a.getNamedItem("bitDepth").getNodeValue()};
            }
        }
        return null;
    }

    /** Keeps the first bands of each pixel (P -> L keeps red, which equals green and blue there). */
    private static Image8 dropBands(Image8 im, Image8.Mode to) {
        int from = im.bands(), n = im.width * im.height;
        byte[] d = new byte[n * to.bands];
        for (int i = 0; i < n; i++) System.arraycopy(im.data, i * from, d, i * to.bands, to.bands);
        return new Image8(im.width, im.height, to, d);
    }

    private static String colourSpaceName(int type) {
        switch (type) {
            case ColorSpace.TYPE_CMYK: return "CMYK";
            case ColorSpace.TYPE_YCbCr: return "YCbCr";
            default: return "type " + type;
        }
    }

    private static final class Reader implements AutoCloseable {
        final ImageInputStream in;
        final ImageReader reader;

        Reader(ImageInputStream in, ImageReader reader) {
            this.in = in;
            this.reader = reader;
        }

        @Override
        public void close() throws IOException {
            reader.dispose();
            in.close();
        }
    }

    private static Reader open(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new ImageDecodeException("not a regular file");
        if (Files.size(file) == 0) throw new ImageDecodeException("empty file (0 bytes)");
        // ImageIO reports an unreadable file as "no stream" at best; say what is wrong
        if (!Files.isReadable(file)) throw new ImageDecodeException("cannot read the file (permission denied)");
        ImageInputStream in = ImageIO.createImageInputStream(file.toFile());
        if (in == null) throw new ImageDecodeException("cannot open");
        Iterator<ImageReader> it = ImageIO.getImageReaders(in);
        if (!it.hasNext()) {
            in.close();
            throw new ImageDecodeException("not a PNG, JPEG or GIF image");
        }
        ImageReader reader = it.next();
        reader.setInput(in, true, false); // metadata: PNG colour type, see pillowMode
        return new Reader(in, reader);
    }

    private static ImageDecodeException failure(Exception e) {
        if (e instanceof ImageDecodeException) return (ImageDecodeException) e;
        String msg = e.getMessage();
        if (msg == null || msg.isBlank()) msg = e.getClass().getSimpleName();
        String lower = msg.toLowerCase();
        if (lower.contains("cmyk") || lower.contains("ycck") || lower.contains("unsupported image type")) {
            msg = "unsupported colour space (CMYK/YCCK JPEG?): " + msg;
        } else if (e instanceof javax.imageio.IIOException || e instanceof java.io.EOFException) {
            msg = "corrupt or truncated: " + msg; // e.g. "Error reading PNG metadata" of a cut file
        }
        return new ImageDecodeException(msg, e);
    }
}
