package org.diffusionexplorer.io.torch;

import org.diffusionexplorer.io.NpyFormatException;

/**
 * A PyTorch .pt file that cannot be read, or that asks for more than a state_dict may; the message
 * names the file and the problem. A subclass of the .npz reader's exception so that every caller
 * that reports an unreadable weights file reports this one the same way.
 */
public class TorchFormatException extends NpyFormatException {
    public TorchFormatException(String message) {
        super(message);
    }

    public TorchFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
