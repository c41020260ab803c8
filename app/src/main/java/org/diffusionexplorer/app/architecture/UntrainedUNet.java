package org.diffusionexplorer.app.architecture;

import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The UNet with seeded (untrained) initial weights whose activations and attention the
 * Architecture pane shows, kept while the config stays. Slow: every call runs the UNet, so it
 * belongs on a background task.
 */
public final class UntrainedUNet {
    /** Seed of the untrained UNet whose feature maps the architecture pane shows. */
    public static final long FEATURE_SEED = 0;
    private UNetModel unet;

    /** The seeded UNet of a config (kept while the config stays) and one image as its batch of one. */
    private INDArray[] prepare(UNetConfig config, ImageData image, int t) {
        NativeRuntime.configure();
        if (unet == null || !unet.config().equals(config)) {
            if (unet != null) unet.close();
            unet = null;
            unet = UNetModel.create(config, FEATURE_SEED);
        }
        ImageData x = ImageAdapt.toChannels(image, config.inChannels());
        if (x.height() != config.imageSize()) {
            throw new IllegalArgumentException("the image is " + x.height() + " px, the model wants " + config.imageSize());
        }
        INDArray xs = Nd4j.create(x.data(), new long[] {1, x.channels(), x.height(), x.width()}, 'c');
        INDArray ts = Nd4j.createFromArray(new float[] {t});
        INDArray ys = config.classConditional() ? Nd4j.createFromArray(new long[] {0}) : null;
        return new INDArray[] {xs, ts, ys};
    }

    /** The softmax weights of every attention block for one image at timestep t; the image is converted to the config's channel count. */
    public synchronized AttentionMaps attention(UNetConfig config, ImageData image, int t) {
        INDArray[] in = prepare(config, image, t);
        Map<String, AttentionMaps.Heads> out = new LinkedHashMap<>();
        for (UNetModel.Attention a : unet.attention(in[0], in[1], in[2])) {
            // rows 0..heads-1 of [N*heads, T, T] belong to batch element 0
            INDArray w = a.weights().get(NDArrayIndex.interval(0, a.heads())).castTo(DataType.FLOAT).dup('c');
            String block = a.module().substring(0, a.module().lastIndexOf('.'));
            out.put(block, new AttentionMaps.Heads(a.heads(), a.size(), w.data().asFloat()));
        }
        return new AttentionMaps(t, ImageAdapt.toChannels(image, config.inChannels()), out);
    }

    /** Activations of every block for one image at timestep t; the image is converted to the config's channel count. */
    public synchronized FeatureMaps featureMaps(UNetConfig config, ImageData image, int t) {
        INDArray[] in = prepare(config, image, t);
        Map<String, INDArray> acts = unet.activations(in[0], in[1], in[2]);
        Map<String, ImageData> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : acts.entrySet()) {
            INDArray a = e.getValue();
            if (a.rank() != 4) continue; // the embeddings are vectors, not maps
            INDArray first = a.get(NDArrayIndex.point(0)).castTo(DataType.FLOAT).dup('c');
            out.put(e.getKey(), new ImageData((int) a.size(1), (int) a.size(2), (int) a.size(3), first.data().asFloat()));
        }
        return new FeatureMaps(t, out);
    }
}
