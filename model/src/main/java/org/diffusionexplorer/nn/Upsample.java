package org.diffusionexplorer.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** Doubles the resolution: nearest-neighbour x2, then conv3x3 ("conv") when conv_resample is on. */
public record Upsample(String prefix, int channels, boolean useConv, int inSize) implements Layer {
    @Override
    public String kind() {
        return "Upsample";
    }

    @Override
    public List<ParamSpec> params() {
        return useConv ? Conv2d.params(prefix + ".conv", channels, channels, 3) : List.of();
    }

    @Override
    public int outChannels() {
        return channels;
    }

    @Override
    public int outSize() {
        return inSize * 2;
    }

    @Override
    public SDVariable apply(BuildContext ctx, SDVariable x, SDVariable emb) {
        SDVariable up = ctx.sd().cnn().upsampling2d(x, 2, 2, true);
        return useConv ? Conv2d.apply(ctx, prefix + ".conv", up, 3, 1) : up;
    }
}
