package org.diffusionexplorer.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * One module of the reference network: it declares its parameters (reference names, shapes, init)
 * without touching ND4J, and adds its ops to a graph on request.
 */
public interface Layer {
    /** Short name shown to users, e.g. "ResBlock", "Attention", "Downsample". */
    String kind();

    /** Parameters in the reference state_dict order. */
    List<ParamSpec> params();

    int outChannels();

    /** Output side length (square feature maps). */
    int outSize();

    /**
     * Adds the layer's ops.
     *
     * @param emb the time (and label) embedding [N, 4C]; layers that do not take it ignore it
     */
    SDVariable apply(BuildContext ctx, SDVariable x, SDVariable emb);

    default long parameterCount() {
        return params().stream().mapToLong(ParamSpec::numel).sum();
    }
}
