package org.diffusionexplorer.data;

import java.io.IOException;

/** A file that could not be turned into an image; the message is the reason shown to users. */
public final class ImageDecodeException extends IOException {
    public ImageDecodeException(String reason) {
        super(reason);
    }

    public ImageDecodeException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
