package org.diffusionexplorer.unet;

import java.util.List;

/**
 * A state dict that does not fit the model. The message lists every problem at once:
 * missing keys, unexpected keys, wrong shapes and unusable dtypes.
 */
public class WeightsMismatchException extends IllegalArgumentException {
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<String> wrongShape;
    private final List<String> wrongType;

    public WeightsMismatchException(List<String> missing, List<String> unexpected, List<String> wrongShape,
            List<String> wrongType) {
        super(message(missing, unexpected, wrongShape, wrongType));
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.wrongShape = List.copyOf(wrongShape);
        this.wrongType = List.copyOf(wrongType);
    }

    private static String message(List<String> missing, List<String> unexpected, List<String> wrongShape,
            List<String> wrongType) {
        StringBuilder sb = new StringBuilder("weights do not fit the model:");
        append(sb, "missing", missing);
        append(sb, "unexpected", unexpected);
        append(sb, "wrong shape", wrongShape);
        append(sb, "wrong dtype (need float32 or float64)", wrongType);
        return sb.toString();
    }

    private static void append(StringBuilder sb, String what, List<String> items) {
        if (items.isEmpty()) return;
        sb.append(' ').append(items.size()).append(' ').append(what).append(": ").append(String.join(", ", items)).append(';');
    }

    /** Names the model needs that the weights lack. */
    public List<String> missing() {
        return missing;
    }

    /** Names in the weights that the model does not have. */
    public List<String> unexpected() {
        return unexpected;
    }

    /** "name: got [..], expected [..]" entries. */
    public List<String> wrongShape() {
        return wrongShape;
    }

    /** "name: int64" entries for arrays that are not floating point. */
    public List<String> wrongType() {
        return wrongType;
    }
}
