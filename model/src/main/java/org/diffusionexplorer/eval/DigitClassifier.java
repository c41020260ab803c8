package org.diffusionexplorer.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.diffusionexplorer.data.BatchIterator;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.nn.Conv2d;
import org.diffusionexplorer.train.AdamW;
import org.diffusionexplorer.train.Trainer;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A small LeNet-style CNN that reads 28 x 28 gray digits: the judge of generated samples.
 * conv 5x5 16 -> ReLU -> max-pool 2 -> conv 5x5 32 -> ReLU -> max-pool 2 -> dense 128 -> ReLU
 * (the feature layer) -> dense 10 -> softmax. Unpadded 5x5 convolutions shrink 28 -> 24 -> 12 -> 8
 * -> 4, so the dense layer reads 32 x 4 x 4 = 512 values and the whole model is 80k parameters
 * (0.3 MB as float32). Why this small: 32 and 64 channels need 3.5x the multiply-adds per image
 * (3.9 M against 1.1 M) on a machine where training shares one core, and weigh 0.7 MB (with padded
 * 3x3 convolutions 1.7 MB); 16 and 32 already read 98% of the held-out digits.
 *
 * <p>One SameDiff graph serves training and prediction. Its convolutions keep ND4J's default YXIO
 * weight layout ([kH, kW, in, out]) because M2.1's conv2d backward accepts no other; dense layers are
 * mmul + add, never sd.nn().linear (wrong inside larger graphs in M2.1); the loss is the mean of
 * -sum(onehot * log_softmax), with no gather (whose backward fails in M2.1) and no variance op.
 */
public final class DigitClassifier {
    public static final int CLASSES = 10;
    public static final int FEATURES = 128;
    private static final int C1 = 16, C2 = 32, K = 5, FLAT = C2 * 4 * 4;
    private static final int PREDICT_BATCH = 250;

    /** Parameter names and shapes, in graph order: what the .npz holds. */
    static final Map<String, long[]> SHAPES = shapes();

    private final SameDiff sd = SameDiff.create();
    private final Map<String, INDArray> params = new LinkedHashMap<>();

    private static Map<String, long[]> shapes() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("conv1.weight", new long[] {K, K, 1, C1});
        s.put("conv1.bias", new long[] {C1});
        s.put("conv2.weight", new long[] {K, K, C1, C2});
        s.put("conv2.bias", new long[] {C2});
        s.put("fc1.weight", new long[] {FLAT, FEATURES});
        s.put("fc1.bias", new long[] {FEATURES});
        s.put("fc2.weight", new long[] {FEATURES, CLASSES});
        s.put("fc2.bias", new long[] {CLASSES});
        return s;
    }

    private DigitClassifier(Map<String, INDArray> weights) {
        for (Map.Entry<String, long[]> e : SHAPES.entrySet()) {
            params.put(e.getKey(), sd.var(e.getKey(), weights.get(e.getKey()).castTo(DataType.FLOAT).dup('c')).getArr());
        }
        build();
    }

    /** Untrained: He-normal weights (ReLU layers; 1/fan_in for the logits) from {@code seed}, zero biases. */
    public static DigitClassifier init(long seed) {
        Random r = new Random(seed);
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : SHAPES.entrySet()) {
            long[] shape = e.getValue();
            float[] v = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
            if (shape.length > 1) {
                long fanIn = 1;
                for (int i = 0; i < shape.length - 1; i++) fanIn *= shape[i]; // YXIO and [in, out]: all but the last axis
                double std = Math.sqrt((e.getKey().startsWith("fc2") ? 1.0 : 2.0) / fanIn);
                for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * std);
            }
            w.put(e.getKey(), Nd4j.create(v, shape, 'c'));
        }
        return new DigitClassifier(w);
    }

    /** Reads weights written by {@link #save}; a file of another architecture is refused by name and shape. */
    public static DigitClassifier load(Path file) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : SHAPES.entrySet()) {
            NpyArray a = arrays.get(e.getKey());
            if (a == null || !Arrays.equals(a.shape(), e.getValue())) {
                throw new EvalException(file + " is not a digit classifier of this version: expected " + e.getKey() + " "
                        + Arrays.toString(e.getValue()) + ", found " + (a == null ? "none" : Arrays.toString(a.shape())));
            }
            w.put(e.getKey(), a.toINDArray());
        }
        return new DigitClassifier(w);
    }

    /** Writes every parameter as float32 into an .npz, atomically. */
    public synchronized void save(Path file) throws IOException {
        Map<String, NpyArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : params.entrySet()) out.put(e.getKey(), NpyArray.of(e.getValue()));
        Npz.writeAtomically(file, out);
    }

    private void build() {
        SDVariable x = sd.placeHolder("x", DataType.FLOAT, -1, 1, DigitImages.SIZE, DigitImages.SIZE);
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).isNHWC(false).build();
        SDVariable h = sd.nn().relu(sd.cnn().conv2d(x, sd.getVariable("conv1.weight"), sd.getVariable("conv1.bias"), Conv2d.config(K, 1, 0)), 0);
        h = sd.cnn().maxPooling2d(h, pool);
        h = sd.nn().relu(sd.cnn().conv2d(h, sd.getVariable("conv2.weight"), sd.getVariable("conv2.bias"), Conv2d.config(K, 1, 0)), 0);
        h = sd.cnn().maxPooling2d(h, pool).reshape(-1, FLAT);
        SDVariable features = sd.nn().relu("features", h.mmul(sd.getVariable("fc1.weight")).add(sd.getVariable("fc1.bias")), 0);
        SDVariable logits = features.mmul(sd.getVariable("fc2.weight")).add(sd.getVariable("fc2.bias"));
        sd.nn().softmax("probs", logits, 1);
        SDVariable onehot = sd.placeHolder("label", DataType.FLOAT, -1, CLASSES);
        onehot.mul(sd.nn().logSoftmax(logits)).sum(1).mean().neg("loss");
    }

    /** Probabilities and features of images of any size, 1 or 3 channels, in [-1, 1] (see {@link DigitImages}). */
    public synchronized Prediction predict(INDArray images) {
        INDArray x = DigitImages.prepare(images);
        long n = x.size(0);
        List<INDArray> probs = new ArrayList<>(), feats = new ArrayList<>();
        for (long i = 0; i < n; i += PREDICT_BATCH) {
            INDArray xb = x.get(NDArrayIndex.interval(i, Math.min(n, i + PREDICT_BATCH))).dup('c');
            Map<String, INDArray> out = sd.output(Map.of("x", xb), "probs", "features");
            probs.add(out.get("probs").dup('c'));
            feats.add(out.get("features").dup('c'));
        }
        return new Prediction(concat(probs), concat(feats));
    }

    private static INDArray concat(List<INDArray> parts) {
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /**
     * @param epochs   passes over the data
     * @param maxShift images are shifted by up to this many pixels in x and y (filled with background),
     *                 so that digits a diffusion model draws a little off-centre are still read
     */
    public record TrainOptions(int epochs, int batchSize, double lr, int maxShift, long seed) {
        public TrainOptions {
            if (epochs < 1) throw new IllegalArgumentException("epochs must be positive, got " + epochs);
            if (batchSize < 1) throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
            if (!(lr > 0)) throw new IllegalArgumentException("learning rate must be positive, got " + lr);
            if (maxShift < 0 || maxShift > 6) throw new IllegalArgumentException("shift must be 0..6, got " + maxShift);
        }
    }

    @FunctionalInterface
    public interface Progress {
        void onStep(int epoch, long step, long totalSteps, double loss);
    }

    /**
     * Adam (no weight decay) with the learning rate falling linearly to 0 over the run, on shuffled,
     * shifted mini-batches; everything random comes from {@code o.seed()}.
     *
     * @return the mean loss of the last epoch
     */
    public synchronized double train(Digits data, TrainOptions o, Progress progress) {
        float[] pixels = DigitImages.prepare(data.images()).dup('c').data().asFloat();
        try (Trainer trainer = new Trainer(sd, "loss", new AdamW(params, o.lr()), List.of(), Trainer.Accumulation.SUM)) {
            return train(trainer, pixels, data, o, progress);
        }
    }

    private double train(Trainer trainer, float[] pixels, Digits data, TrainOptions o, Progress progress) {
        int n = data.size(), plane = DigitImages.SIZE * DigitImages.SIZE;
        long perEpoch = (n + o.batchSize() - 1) / o.batchSize(), total = perEpoch * o.epochs();
        trainer.setLrAnnealSteps(total + 1); // +1: the last step still learns
        Random r = new Random(o.seed());
        int[] order = BatchIterator.identity(n);
        double epochLoss = Double.NaN;
        long step = 0;
        for (int epoch = 1; epoch <= o.epochs(); epoch++) {
            BatchIterator.shuffle(order, r);
            double sum = 0;
            for (int start = 0; start < n; start += o.batchSize()) {
                int b = Math.min(o.batchSize(), n - start);
                float[] xb = new float[b * plane], yb = new float[b * CLASSES];
                for (int k = 0; k < b; k++) {
                    int i = order[start + k];
                    shifted(pixels, i * plane, xb, k * plane, r.nextInt(2 * o.maxShift() + 1) - o.maxShift(),
                            r.nextInt(2 * o.maxShift() + 1) - o.maxShift());
                    yb[k * CLASSES + data.labels()[i]] = 1;
                }
                Map<String, INDArray> batch = Map.of(
                        "x", Nd4j.create(xb, new long[] {b, 1, DigitImages.SIZE, DigitImages.SIZE}, 'c'),
                        "label", Nd4j.create(yb, new long[] {b, CLASSES}, 'c'));
                double loss = trainer.step(batch, 0).loss();
                sum += loss * b;
                step++;
                if (progress != null) progress.onStep(epoch, step, total, loss);
            }
            epochLoss = sum / n;
        }
        return epochLoss;
    }

    /** Copies one 28 x 28 plane moved by (dx, dy); uncovered pixels get the background value -1. */
    static void shifted(float[] src, int from, float[] dst, int to, int dx, int dy) {
        int s = DigitImages.SIZE;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int sx = x - dx, sy = y - dy;
                dst[to + y * s + x] = sx >= 0 && sx < s && sy >= 0 && sy < s ? src[from + sy * s + sx] : -1f;
            }
        }
    }
}
