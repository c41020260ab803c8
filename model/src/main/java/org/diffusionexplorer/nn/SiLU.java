package org.diffusionexplorer.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * SiLU(x) = x * sigmoid(x), the reference's activation (nn.SiLU).
 *
 * <p>Not {@code sd.nn().swish} in graphs that are differentiated: its backward in ND4J M2.1
 * (libnd4j's SwishDerivative, e^x (x + e^x + 1) / (e^x + 1)^2) overflows to inf / inf = NaN in
 * float32 for x >= 45 (89 in float64), where the derivative is 1. The timestep + class embedding
 * fed to SiLU is not normalised, and a learning rate of 2e-3 pushed one of its entries past 44 at
 * step 373 of a digits run, which then stopped on a NaN gradient norm. The product with sigmoid
 * differentiates through sigmoid's own derivative, s (1 - s), which is finite everywhere.
 * Inference graphs keep the single swish op: its forward is finite for every x and one op is
 * cheaper than two.
 */
public final class SiLU {
    private SiLU() {}

    public static SDVariable apply(BuildContext ctx, SDVariable x) {
        if (!ctx.training()) return ctx.sd().nn().swish(x);
        return x.mul(ctx.sd().nn().sigmoid(x));
    }
}
