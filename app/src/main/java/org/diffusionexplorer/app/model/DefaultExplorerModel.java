package org.diffusionexplorer.app.model;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.diffusionexplorer.data.DatasetException;
import org.diffusionexplorer.data.DatasetOptions;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.data.ImageDataset;
import org.diffusionexplorer.data.ImageDecodeException;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.NoiseSchedule;
import org.diffusionexplorer.nn.TimestepEmbedding;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.diffusionexplorer.runtime.BackendReport;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** The explorer's facade over the model module (diffusion, data, UNet shapes, ND4J backend). */
public class DefaultExplorerModel implements ExplorerModel {
    private final Map<String, ImageDataset> datasets = new ConcurrentHashMap<>();
    private final Map<String, ScheduleCurves> schedules = new ConcurrentHashMap<>();
    /** Seed of the untrained UNet whose feature maps the architecture pane shows. */
    public static final long FEATURE_SEED = 0;
    private volatile boolean backendLoaded;
    private UNetModel unet;
    private final DenoisingSources denoising = new DenoisingSources();

    @Override
    public double[][] timestepEmbedding(double[] t, int dim, double maxPeriod, EmbeddingLayout layout) {
        if (dim < 2) throw new IllegalArgumentException("the embedding dimension must be at least 2, got " + dim);
        if (!(maxPeriod > 1)) throw new IllegalArgumentException("max_period must be greater than 1, got " + maxPeriod);
        double[][] ref = TimestepEmbedding.embed(t, dim, maxPeriod);
        return layout == EmbeddingLayout.REFERENCE_COS_SIN ? ref : SinusoidalEmbedding.interleave(ref);
    }

    @Override
    public double embeddingFrequency(int k, int dim, double maxPeriod) {
        return TimestepEmbedding.frequencies64(dim, maxPeriod)[k];
    }

    /** The seeded UNet of a config (kept while the config stays) and one image as its batch of one. */
    private INDArray[] prepare(UNetConfig config, ImageData image, int t) {
        NativeRuntime.configure();
        if (unet == null || !unet.config().equals(config)) {
            if (unet != null) unet.close();
            unet = null;
            unet = UNetModel.create(config, FEATURE_SEED);
        }
        backendLoaded = true;
        ImageData x = ImageAdapt.toChannels(image, config.inChannels());
        if (x.height() != config.imageSize()) {
            throw new IllegalArgumentException("the image is " + x.height() + " px, the model wants " + config.imageSize());
        }
        INDArray xs = Nd4j.create(x.data(), new long[] {1, x.channels(), x.height(), x.width()}, 'c');
        INDArray ts = Nd4j.createFromArray(new float[] {t});
        INDArray ys = config.classConditional() ? Nd4j.createFromArray(new long[] {0}) : null;
        return new INDArray[] {xs, ts, ys};
    }

    @Override
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

    @Override
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

    @Override
    public ScheduleCurves schedule(NoiseSchedule schedule, int steps) {
        return schedules.computeIfAbsent(schedule + "/" + steps, k -> {
            GaussianDiffusion d = GaussianDiffusion.builder().schedule(schedule).steps(steps).build();
            return new ScheduleCurves(schedule, d.alphasCumprod, d.sqrtAlphasCumprod, d.sqrtOneMinusAlphasCumprod);
        });
    }

    @Override
    public ImageData datasetImage(String dataset, int index, int size, int channels) {
        ImageDataset ds = open(dataset, size, channels);
        if (ds.size() == 0) throw new DatasetException(dataset + " has no readable images");
        int i = Math.floorMod(index, ds.size());
        try {
            return new ImageData(channels, size, size, ds.image(i));
        } catch (ImageDecodeException e) {
            throw new DatasetException("cannot read " + ds.describe(i) + ": " + e.getMessage());
        }
    }

    @Override
    public int datasetSize(String dataset, int size, int channels) {
        return open(dataset, size, channels).size();
    }

    private ImageDataset open(String dataset, int size, int channels) {
        return datasets.computeIfAbsent(dataset + "|" + size + "|" + channels,
                k -> Datasets.open(dataset, DatasetOptions.of(size, channels)));
    }

    @Override
    public ImageData noise(long seed, int channels, int height, int width) {
        Random r = new Random(seed);
        float[] d = new float[channels * height * width];
        for (int i = 0; i < d.length; i++) d[i] = (float) r.nextGaussian();
        return new ImageData(channels, height, width, d);
    }

    @Override
    public ImageData qSample(ScheduleCurves curves, ImageData x0, ImageData eps, int t) {
        // The same arithmetic as GaussianDiffusion.qSample, on plain arrays: scrubbing must not wait for ND4J.
        double a = curves.sqrtAlphasCumprod()[t], b = curves.sqrtOneMinusAlphasCumprod()[t];
        float[] out = new float[x0.data().length];
        for (int i = 0; i < out.length; i++) out[i] = (float) (a * x0.data()[i] + b * eps.data()[i]);
        return new ImageData(x0.channels(), x0.height(), x0.width(), out);
    }

    @Override
    public BackendInfo backend() {
        // Thread counts are set once for the whole process by NativeRuntime (every core; idle OpenMP
        // workers sleep, so the window still gets its share); CPU or CUDA is decided there too.
        BackendReport r = BackendReport.current();
        backendLoaded = true;
        if (r.isCuda()) return new BackendInfo("ND4J CUDA", r.device() + ", " + r.memory(), 0, false, r.notice(), r.lines());
        String avx = r.natives().contains("avx512") ? ", AVX-512" : r.natives().contains("avx2") ? ", AVX2" : "";
        return new BackendInfo("ND4J CPU", r.device() + " (" + r.cores() + " cores" + avx + ")", r.threads(), r.oneDnn(),
                r.notice(), r.lines());
    }

    @Override
    public long processBytes() {
        if (!backendLoaded) return 0; // JavaCPP's Pointer loads natives on first touch: not from the FX thread
        return org.bytedeco.javacpp.Pointer.physicalBytes();
    }

    @Override
    public DenoisingSources denoising() {
        return denoising;
    }

}
