package org.diffusionexplorer.data;

/** A dataset that cannot be used at all (missing or empty folder, no readable image, bad name). */
public final class DatasetException extends RuntimeException {
    public DatasetException(String message) {
        super(message);
    }
}
