package org.diffusionexplorer.data;

import java.util.List;

/**
 * A fixed list of images, each preprocessed to channels x size x size uint8 (channels first).
 * Implementations: {@link ImageFolderDataset} (files) and {@link SpriteSheetDataset} (bundled MNIST).
 */
public interface ImageDataset {

    /** Folder path or bundled name, for messages. */
    String name();

    /** Number of usable images (files that failed the header check are not counted). */
    int size();

    int imageSize();

    int channels();

    /** Sorted class names; empty when the dataset is unlabelled. */
    List<String> classNames();

    /** Class index of image i (position in {@link #classNames()}), or -1 when unlabelled. */
    int label(int i);

    /** Where image i comes from (a file path, or sheet#index), for messages. */
    String describe(int i);

    /**
     * The preprocessed image i as channels*size*size bytes 0..255. A file that fails here is
     * recorded in {@link #summary()} and keeps failing fast; callers skip it.
     */
    byte[] pixels(int i) throws ImageDecodeException;

    LoadSummary summary();

    default boolean labelled() {
        return !classNames().isEmpty();
    }

    /** Image i as float32 in [-1, 1] (x / 127.5 - 1), channels first. */
    default float[] image(int i) throws ImageDecodeException {
        byte[] b = pixels(i);
        float[] f = new float[b.length];
        Preprocess.toFloat(b, f, 0);
        return f;
    }
}
