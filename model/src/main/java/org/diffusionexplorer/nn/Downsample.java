package org.diffusionexplorer.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;

/** Halves the resolution: conv3x3 stride 2 padding 1 ("op"), or 2x2 average pooling without conv_resample. */
public record Downsample(String prefix, int channels, boolean useConv, int inSize) implements Layer {
    @Override
    public String kind() {
        return "Downsample";
    }

    @Override
    public List<ParamSpec> params() {
        return useConv ? Conv2d.params(prefix + ".op", channels, channels, 3) : List.of();
    }

    @Override
    public int outChannels() {
        return channels;
    }

    @Override
    public int outSize() {
        return inSize / 2;
    }

    @Override
    public SDVariable apply(BuildContext ctx, SDVariable x, SDVariable emb) {
        if (useConv) return Conv2d.apply(ctx, prefix + ".op", x, 3, 2);
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .type(Pooling2D.Pooling2DType.AVG).isNHWC(false).build();
        return ctx.sd().cnn().avgPooling2d(x, pool);
    }
}
