package org.diffusionexplorer.eval;

/** A user-facing problem of an evaluation (missing classifier, unusable images): the message is the whole story. */
public final class EvalException extends RuntimeException {
    public EvalException(String message) {
        super(message);
    }
}
