package org.diffusionexplorer.config;

/** A run folder or checkpoint that cannot be used as asked; the message says why and what to do. */
public class RunException extends IllegalArgumentException {
    public RunException(String message) {
        super(message);
    }
}
