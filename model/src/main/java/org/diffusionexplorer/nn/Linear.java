package org.diffusionexplorer.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/**
 * nn.Linear: y = x W^T + b with W stored [out, in] as in PyTorch.
 * Built from a transposed matmul plus a bias add: {@code sd.nn().linear} gave wrong numbers
 * inside large graphs in ND4J M2.1 (see DL4J-NOTES).
 */
public final class Linear {
    private Linear() {}

    public static List<ParamSpec> params(String prefix, int in, int out) {
        return List.of(ParamSpec.uniform(prefix + ".weight", in, out, in), ParamSpec.uniform(prefix + ".bias", in, out));
    }

    /** x [N, in] -> [N, out]. */
    public static SDVariable apply(BuildContext ctx, String prefix, SDVariable x) {
        SDVariable w = ctx.param(prefix + ".weight");
        SDVariable b = ctx.param(prefix + ".bias");
        SDVariable xw = ctx.sd().mmul(x, w, false, true, false);
        return ctx.sd().nn().biasAdd(xw, b, false);
    }
}
