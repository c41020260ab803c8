package org.diffusionexplorer.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;

/**
 * nn.Conv2d with square kernels, NCHW activations and PyTorch-layout [out, in, k, k] weights.
 *
 * <p>ND4J's OIYX weight format would take those weights as they are, and its forward pass is right,
 * but in M2.1 the backward op (conv2d_bp) rejects every weight format except the default YXIO
 * ("Op validation failed"). So the graph permutes the stored [out, in, kH, kW] variable to
 * [kH, kW, in, out] (a small op on the weights; its gradient is the inverse permutation) and
 * convolves with the default format.
 */
public final class Conv2d {
    private Conv2d() {}

    public static List<ParamSpec> params(String prefix, int in, int out, int k) {
        long fanIn = (long) in * k * k;
        return List.of(ParamSpec.uniform(prefix + ".weight", fanIn, out, in, k, k),
                ParamSpec.uniform(prefix + ".bias", fanIn, out));
    }

    /** Same as {@link #params} but zero-initialised (the reference's zero_module). */
    public static List<ParamSpec> zeroParams(String prefix, int in, int out, int k) {
        return params(prefix, in, out, k).stream().map(ParamSpec::zeroed).toList();
    }

    /** NCHW activations, YXIO ([kH, kW, in, out]) weights. */
    public static Conv2DConfig config(int k, int stride, int pad) {
        return config(k, stride, pad, WeightsFormat.YXIO);
    }

    public static Conv2DConfig config(int k, int stride, int pad, WeightsFormat format) {
        return Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(pad).pW(pad).dH(1).dW(1)
                .dataFormat("NCHW").weightsFormat(format).build();
    }

    /** Applies the convolution stored under {@code prefix}; padding keeps the size at stride 1 for odd k. */
    public static SDVariable apply(BuildContext ctx, String prefix, SDVariable x, int k, int stride) {
        return apply(ctx, x, ctx.param(prefix + ".weight"), ctx.param(prefix + ".bias"), k, stride);
    }

    /**
     * @param w weights in PyTorch layout [out, in, k, k]; graphs that are never differentiated use
     *          them directly (OIYX), training graphs through the permutation described above
     */
    public static SDVariable apply(BuildContext ctx, SDVariable x, SDVariable w, SDVariable b, int k, int stride) {
        if (!ctx.training()) return ctx.sd().cnn().conv2d(x, w, b, config(k, stride, k / 2, WeightsFormat.OIYX));
        return ctx.sd().cnn().conv2d(x, w.permute(2, 3, 1, 0), b, config(k, stride, k / 2));
    }

    /** A stand-alone 3x3 convolution as a block (the UNet's first layer, input_blocks.0.0). */
    public static Layer layer(String prefix, int in, int out, int size) {
        return new Layer() {
            @Override
            public String kind() {
                return "conv";
            }

            @Override
            public List<ParamSpec> params() {
                return Conv2d.params(prefix, in, out, 3);
            }

            @Override
            public int outChannels() {
                return out;
            }

            @Override
            public int outSize() {
                return size;
            }

            @Override
            public SDVariable apply(BuildContext ctx, SDVariable x, SDVariable emb) {
                return Conv2d.apply(ctx, prefix, x, 3, 1);
            }
        };
    }
}
