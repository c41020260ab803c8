package org.diffusionexplorer.data;

/**
 * How a dataset is read.
 *
 * @param size         output height and width (the model's image_size)
 * @param channels     3 (RGB, the reference) or 1 (grayscale, PIL's convert("L"))
 * @param classLabels  labels from the file-name part before the first '_' (the reference's class_cond)
 * @param cache        keep decoded images in memory: null = automatically when they fit in {@link #AUTO_CACHE_BYTES}
 * @param maxPixels    files with more pixels are decoded subsampled (see {@link ImageDecoder#read})
 */
public record DatasetOptions(int size, int channels, boolean classLabels, Boolean cache, long maxPixels) {

    /** The automatic cache limit: MNIST-size sets are cached, photo folders are re-decoded. */
    public static final long AUTO_CACHE_BYTES = 256L << 20;

    public DatasetOptions {
        if (size <= 0) throw new IllegalArgumentException("image size must be positive, got " + size);
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        if (maxPixels <= 0) throw new IllegalArgumentException("maxPixels must be positive");
    }

    public static DatasetOptions of(int size, int channels) {
        return new DatasetOptions(size, channels, false, null, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    public DatasetOptions withClassLabels(boolean on) {
        return new DatasetOptions(size, channels, on, cache, maxPixels);
    }

    public DatasetOptions withCache(Boolean on) {
        return new DatasetOptions(size, channels, classLabels, on, maxPixels);
    }

    /** Whether n images of this shape should be cached. */
    boolean shouldCache(long n) {
        if (cache != null) return cache;
        return n * channels * size * size <= AUTO_CACHE_BYTES;
    }
}
