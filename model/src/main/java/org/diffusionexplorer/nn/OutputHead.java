package org.diffusionexplorer.nn;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;

/** The UNet's final "out" module: GroupNorm -> SiLU -> conv3x3 to the output channels, zero-initialised. */
public record OutputHead(String prefix, int channels, int out, int size) implements Layer {
    @Override
    public String kind() {
        return "GroupNorm+SiLU+conv";
    }

    @Override
    public List<ParamSpec> params() {
        List<ParamSpec> p = new ArrayList<>(GroupNorm.params(prefix + ".0", channels));
        p.addAll(Conv2d.zeroParams(prefix + ".2", channels, out, 3));
        return p;
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
        SDVariable h = GroupNorm.applySiLU(ctx, prefix + ".0", x, channels, size);
        return Conv2d.apply(ctx, prefix + ".2", h, 3, 1);
    }
}
