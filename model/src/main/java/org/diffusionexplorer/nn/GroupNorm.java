package org.diffusionexplorer.nn;

import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * GroupNorm(32 groups, eps 1e-5, affine) over [N, C, H, W], built from SameDiff ops (ND4J has none).
 *
 * <p>Per sample n and group g: mean and biased variance over the group's C/32 channels and all
 * pixels, xhat = (x - mean) / sqrt(var + eps), y = xhat * weight[c] + bias[c]. The normalisation
 * and the affine step are fused: with rstd = 1/sqrt(var + eps) the per-(n, c) factor
 * A = rstd[n, g(c)] * weight[c] is formed on the small [N, C] tensor and the big tensor sees a single
 * multiply and a single add. The caller may pass its own per-sample weight/bias instead (the
 * ResBlock's scale-shift norm folds (1 + scale) and shift into them).
 */
public final class GroupNorm implements Layer {
    public static final int GROUPS = 32;
    public static final double EPS = 1e-5;

    private final String prefix;
    private final int channels;
    private final int size;

    public GroupNorm(String prefix, int channels, int size) {
        if (channels % GROUPS != 0) {
            throw new IllegalArgumentException("GroupNorm needs a channel count divisible by " + GROUPS + ", got " + channels);
        }
        this.prefix = prefix;
        this.channels = channels;
        this.size = size;
    }

    public static List<ParamSpec> params(String prefix, int channels) {
        return List.of(ParamSpec.one(prefix + ".weight", channels), ParamSpec.zero(prefix + ".bias", channels));
    }

    @Override
    public String kind() {
        return "GroupNorm";
    }

    @Override
    public List<ParamSpec> params() {
        return params(prefix, channels);
    }

    @Override
    public int outChannels() {
        return channels;
    }

    @Override
    public int outSize() {
        return size;
    }

    @Override
    public SDVariable apply(BuildContext ctx, SDVariable x, SDVariable emb) {
        return apply(ctx, prefix, x, channels, size);
    }

    /** GroupNorm with the weight and bias stored under {@code prefix}. */
    public static SDVariable apply(BuildContext ctx, String prefix, SDVariable x, int channels, int size) {
        return normalize(ctx, x, channels, size, ctx.param(prefix + ".weight"), ctx.param(prefix + ".bias"), false);
    }

    /**
     * Normalises x per group and applies y = xhat * weight + bias.
     *
     * @param weight [C] (shared by the batch) or, if perSample, [N, C]
     * @param bias [C] or, if perSample, [N, C]
     */
    public static SDVariable normalize(BuildContext ctx, SDVariable x, int channels, int size,
            SDVariable weight, SDVariable bias, boolean perSample) {
        SameDiff sd = ctx.sd();
        int perGroup = channels / GROUPS;
        long m = (long) perGroup * size * size;
        SDVariable xg = x.reshape(-1, GROUPS, m);
        SDVariable mean = xg.mean(true, 2);
        SDVariable xc = xg.sub(mean);
        SDVariable var = sd.math().square(xc).mean(true, 2);
        SDVariable rstd = sd.math().rsqrt(var.add(EPS));                       // [N, G, 1]
        SDVariable w = perSample ? weight.reshape(-1, GROUPS, perGroup) : weight.reshape(1, GROUPS, perGroup);
        SDVariable a = rstd.mul(w).reshape(-1, channels, 1, 1);                 // [N, C, 1, 1], small
        SDVariable y = xc.reshape(-1, channels, size, size).mul(a);
        return perSample ? y.add(bias.reshape(-1, channels, 1, 1)) : sd.nn().biasAdd(y, bias, true);
    }
}
