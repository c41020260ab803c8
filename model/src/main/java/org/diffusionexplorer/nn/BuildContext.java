package org.diffusionexplorer.nn;

import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * What a layer needs while it adds its ops to a graph: the graph, the float type, the parameter
 * variables by reference name, and whether this graph is the training graph. A training graph has
 * dropout and is built so that its backward pass works and is fast; an inference graph (never
 * differentiated) may take forward-only shortcuts.
 */
public record BuildContext(SameDiff sd, DataType dtype, Map<String, SDVariable> params, boolean training) {
    /** The variable of a parameter; a missing name is a programming error in the layer. */
    public SDVariable param(String name) {
        SDVariable v = params.get(name);
        if (v == null) throw new IllegalStateException("no parameter '" + name + "' in the graph");
        return v;
    }
}
