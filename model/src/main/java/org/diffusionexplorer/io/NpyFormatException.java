package org.diffusionexplorer.io;

/** A .npy/.npz file that cannot be read; the message names what is wrong. */
public class NpyFormatException extends RuntimeException {
    public NpyFormatException(String message) {
        super(message);
    }

    public NpyFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
