package org.diffusionexplorer.nn;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * SiLU(x) = x * sigmoid(x), the reference's activation (nn.SiLU), computed as
 * h (1 + tanh(h)) with h = x / 2, since sigmoid(x) = (1 + tanh(x / 2)) / 2.
 *
 * <p>Why tanh: libnd4j M2.1 runs its declarable tanh and tanh_bp on oneDNN's vectorised kernels
 * ({@link NativeTanh}), while sigmoid, sigmoid_bp and swish are element-at-a-time transforms.
 * On one thread the activations of a preset A training step took 285 ms of 1712 (sigmoid_bp alone
 * 187 ms); PyTorch's vectorised sigmoid and its backward take 38 ms for the same work.
 *
 * <p>Why not {@code sd.nn().swish}: its backward in ND4J M2.1 (libnd4j's SwishDerivative,
 * e^x (x + e^x + 1) / (e^x + 1)^2) overflows to inf / inf = NaN in float32 for x >= 45, where the
 * derivative is 1. The timestep + class embedding fed to SiLU is not normalised, and a learning
 * rate of 2e-3 pushed one of its entries past 44 at step 373 of a digits run, which then stopped on
 * a NaN gradient norm. This form differentiates through tanh's derivative 1 - tanh^2, finite
 * everywhere. Float32 cancellation in 1 + tanh(h) for very negative x changes the result by less
 * than 1e-6 in absolute terms, where SiLU itself is below 5e-4.
 *
 * <p>An execution plan runs these ops, and the ones SameDiff differentiates them into, as one
 * oneDNN step each way (exec.SiLUFusion): keep the form, or update the pattern it looks for.
 */
public final class SiLU {
    private SiLU() {}

    public static SDVariable apply(BuildContext ctx, SDVariable x) {
        return ofHalf(x.mul(0.5));
    }

    /**
     * SiLU(x) given h = x / 2, for a producer that can halve its output on a small tensor
     * ({@link GroupNorm#applySiLU}): it saves the big tensor a scalar multiply and its backward.
     */
    public static SDVariable ofHalf(SDVariable h) {
        return h.mul(NativeTanh.of(h).add(1.0));
    }
}
