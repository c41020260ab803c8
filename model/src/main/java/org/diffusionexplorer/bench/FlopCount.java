package org.diffusionexplorer.bench;

import org.diffusionexplorer.unet.UNetConfig;

/**
 * Floating-point operations of one UNet forward pass, counted from the configuration the way
 * improved-diffusion builds the model. Counted: every convolution and linear layer
 * (2 * in * out * k*k per output position), and attention's q.k and weights.v products
 * (2 * T*T * C each, T = H*W). Not counted: GroupNorm, SiLU, softmax, additions, up-sampling and
 * other element-wise work (a few percent). A training step is counted as 3x the forward pass
 * (backward = gradients w.r.t. inputs + w.r.t. weights, each about one forward).
 */
public final class FlopCount {
    private FlopCount() {}

    public static double forward(UNetConfig c, int batch) {
        int mc = c.modelChannels(), ted = c.timeEmbedDim();
        double f = 2.0 * (mc * ted + (double) ted * ted);          // time_embed linears
        int res = c.imageSize();
        f += conv(c.inChannels(), mc, 3, res);                       // input_blocks.0
        int ch = mc, ds = 1;
        int[] skipCh = new int[1 + c.levels() * (c.numResBlocks() + 1)];
        int nSkip = 0;
        skipCh[nSkip++] = ch;
        for (int level = 0; level < c.levels(); level++) {
            for (int r = 0; r < c.numResBlocks(); r++) {
                int out = c.channelMult().get(level) * mc;
                f += resBlock(c, ch, out, res);
                ch = out;
                if (c.attentionResolutions().contains(ds)) f += attention(ch, res);
                skipCh[nSkip++] = ch;
            }
            if (level != c.levels() - 1) {
                res /= 2;
                f += c.convResample() ? conv(ch, ch, 3, res) : 0;    // stride-2 conv, output resolution
                skipCh[nSkip++] = ch;
                ds *= 2;
            }
        }
        f += resBlock(c, ch, ch, res) + attention(ch, res) + resBlock(c, ch, ch, res);
        for (int level = c.levels() - 1; level >= 0; level--) {
            for (int r = 0; r <= c.numResBlocks(); r++) {
                int out = c.channelMult().get(level) * mc;
                f += resBlock(c, ch + skipCh[--nSkip], out, res);
                ch = out;
                if (c.attentionResolutions().contains(ds)) f += attention(ch, res);
                if (level > 0 && r == c.numResBlocks()) {
                    res *= 2;
                    f += c.convResample() ? conv(ch, ch, 3, res) : 0;
                    ds /= 2;
                }
            }
        }
        f += conv(ch, c.outChannels(), 3, res);                      // out
        return f * batch;
    }

    public static double trainStep(UNetConfig c, int batch) {
        return 3 * forward(c, batch);
    }

    private static double conv(int in, int out, int k, int res) {
        return 2.0 * in * out * k * k * res * res;
    }

    private static double resBlock(UNetConfig c, int in, int out, int res) {
        double f = conv(in, out, 3, res) + conv(out, out, 3, res);
        f += 2.0 * c.timeEmbedDim() * (c.useScaleShiftNorm() ? 2 * out : out);
        if (in != out) f += conv(in, out, 1, res);                   // 1x1 skip connection
        return f;
    }

    private static double attention(int ch, int res) {
        double t = (double) res * res;
        return conv(ch, 3 * ch, 1, res) + 2 * (2.0 * t * t * ch) + conv(ch, ch, 1, res);
    }
}
