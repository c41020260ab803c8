package org.diffusionexplorer.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.sample.Sampling;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Images generated at a training step: {@code images} is float32 [N, C, H, W] in [-1, 1]
 * (x_0 of the reverse process) from the EMA weights named by {@code weights}, {@code labels} the
 * classes asked for or null. {@code raw}, when the run was asked for it
 * ({@link TrainingRun#sampleRawWeightsToo}), holds the same sampler from the same noise on the raw
 * weights the optimiser just updated (what the averaging adds is the difference); else null.
 */
public record SampleBatch(long step, INDArray images, long[] labels, String weights, INDArray raw) {

    /**
     * A run's sample grid at {@code step}: DDIM (eta 0, the run's sample_steps) from {@code ema}'s
     * weights, and with {@code alsoRaw} the same sampler from the same noise on the model's own
     * weights, which are put back first. One noise, two sets of weights, one call.
     */
    static SampleBatch draw(long step, UNetModel model, Ema ema, RunConfig cfg, long seed, boolean alsoRaw) {
        TrainingSettings ts = cfg.training();
        int steps = Math.min(ts.sampleSteps(), cfg.diffusion().diffusionSteps());
        Sampling.Options o = new Sampling.Options(Sampling.Kind.DDIM, Integer.toString(steps), 0.0, ts.sampleCount(),
                RunSeeds.derive(seed, RunSeeds.SAMPLES), true);
        Map<String, INDArray> live = model.stateDict();
        Map<String, INDArray> saved = new LinkedHashMap<>();
        for (Map.Entry<String, INDArray> e : live.entrySet()) saved.put(e.getKey(), e.getValue().dup());
        Sampling.Result res;
        try {
            for (Map.Entry<String, INDArray> e : ema.weights().entrySet()) live.get(e.getKey()).assign(e.getValue());
            res = Sampling.run(model, cfg.diffusion(), o, null);
        } finally {
            for (Map.Entry<String, INDArray> e : saved.entrySet()) live.get(e.getKey()).assign(e.getValue());
        }
        INDArray raw = alsoRaw ? Sampling.run(model, cfg.diffusion(), o, null).samples() : null;
        return new SampleBatch(step, res.samples(), res.labels(), "ema " + TrainingSettings.rateName(ema.rate()), raw);
    }

    public SampleBatch(long step, INDArray images, long[] labels, String weights) {
        this(step, images, labels, weights, null);
    }

    /** The EMA images as one float array in [N, C, H, W] order, for views that do not use ND4J. */
    public float[] floats() {
        return floats(images);
    }

    /** The raw-weights images the same way, or null when they were not drawn. */
    public float[] rawFloats() {
        return raw == null ? null : floats(raw);
    }

    private static float[] floats(INDArray a) {
        return a.castTo(DataType.FLOAT).dup('c').data().asFloat();
    }

    public int count() {
        return (int) images.size(0);
    }
}
