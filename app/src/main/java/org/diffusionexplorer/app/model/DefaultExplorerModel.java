package org.diffusionexplorer.app.model;

import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import org.diffusionexplorer.data.DatasetException;
import org.diffusionexplorer.data.DatasetOptions;
import org.diffusionexplorer.data.Datasets;
import org.diffusionexplorer.data.ImageDataset;
import org.diffusionexplorer.data.ImageDecodeException;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.NoiseSchedule;
import org.diffusionexplorer.unet.UNetConfig;

/** The explorer's facade over the model module (diffusion, data, UNet shapes, ND4J backend). */
public class DefaultExplorerModel implements ExplorerModel {
    private final Map<String, ImageDataset> datasets = new ConcurrentHashMap<>();
    private final Map<String, ScheduleCurves> schedules = new ConcurrentHashMap<>();
    private volatile boolean backendLoaded;

    @Override
    public double[][] timestepEmbedding(double[] t, int dim, double maxPeriod, EmbeddingLayout layout) {
        return SinusoidalEmbedding.embed(t, dim, maxPeriod, layout);
    }

    @Override
    public double embeddingFrequency(int k, int dim, double maxPeriod) {
        return SinusoidalEmbedding.frequency(k, dim, maxPeriod);
    }

    @Override
    public Architecture architecture(UNetConfig config) {
        return ArchitectureBuilder.describe(config, 1);
    }

    @Override
    public boolean featureMapsAvailable() {
        return false;
    }

    @Override
    public FeatureMaps featureMaps(UNetConfig config, ImageData image, int t) {
        throw new UnsupportedOperationException("feature maps need the UNet port, which is not in this build yet");
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
        Properties p = org.nd4j.linalg.factory.Nd4j.getExecutioner().getEnvironmentInformation();
        backendLoaded = true;
        String backend = "ND4J " + p.getProperty("backend", "?");
        String blas = p.getProperty("blas.vendor");
        String device = System.getProperty("os.arch") + " CPU, " + Runtime.getRuntime().availableProcessors() + " cores"
                + (blas != null ? ", BLAS " + blas : "");
        int threads = parseInt(p.getProperty("omp.threads"), 1);
        boolean oneDnn = false;
        try {
            String build = org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().buildInfo();
            oneDnn = build != null && build.contains("HAVE_ONEDNN");
        } catch (Throwable e) {
            // build info is a nicety; a backend without it still works
        }
        return new BackendInfo(backend, device, threads, oneDnn);
    }

    @Override
    public long offHeapBytes() {
        if (!backendLoaded) return 0;
        return org.bytedeco.javacpp.Pointer.totalBytes();
    }

    private static int parseInt(String s, int dflt) {
        try {
            return s == null ? dflt : Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
