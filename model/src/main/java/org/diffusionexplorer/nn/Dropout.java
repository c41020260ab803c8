package org.diffusionexplorer.nn;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.random.custom.RandomBernoulli;

/**
 * nn.Dropout(p) in training mode: zero each element with probability p and scale the rest by
 * 1/(1-p) (PyTorch's "inverted" dropout). ND4J's own dropout ops cannot be differentiated in
 * M2.1 (DropOut/DropOutInverted.doDiff throw), so the mask is drawn from a Bernoulli op of the
 * input's (dynamic) shape and applied with a same-shape multiply, whose gradient is just the mask.
 * Only the training graph contains this; evaluation graphs skip it (PyTorch eval mode).
 */
public final class Dropout {
    private Dropout() {}

    public static SDVariable apply(BuildContext ctx, SDVariable x, double p) {
        if (!ctx.training() || p <= 0) return x;
        double keep = 1 - p;
        SDVariable shape = ctx.sd().shape(x);
        SDVariable mask = new RandomBernoulli(ctx.sd(), shape, keep).outputVariable();
        mask = mask.castTo(ctx.dtype()).mul(1.0 / keep);
        return x.mul(mask);
    }
}
