package org.diffusionexplorer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.diffusion.LossSecondMomentResampler;
import org.diffusionexplorer.diffusion.TimestepSampler;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A training run's full state as a {@link Checkpoint} and back, as the reference's TrainLoop saves
 * and loads it: the model, every EMA, AdamW's moments and step, the loss-second-moment sampler's
 * history, the RNG scheme and the config. Here rather than in checkpoint/, which stays below the
 * training types it would have to know.
 */
final class RunCheckpoint {
    private RunCheckpoint() {}

    static Checkpoint capture(long step, RunConfig cfg, long seed, double wallSeconds, UNetModel model, List<Ema> emas,
            AdamW opt, TimestepSampler timesteps, int numTimesteps) {
        ObjectNode meta = Checkpoint.newMeta(step);
        meta.set("config", cfg.toJsonNode());
        meta.put("adam_step", opt.step());
        ObjectNode emaUpdates = meta.putObject("ema_updates");
        for (Ema e : emas) emaUpdates.put(TrainingSettings.rateName(e.rate()), e.updates());
        ObjectNode rng = meta.putObject("rng");
        rng.put("scheme", "per-step: SplittableRandom(derive(seed, purpose, step)); data order = f(data seed, batch number)");
        rng.put("seed", seed);
        rng.put("next_batch", step);
        meta.put("wall_seconds", wallSeconds);
        Map<String, NpyArray> weights = new LinkedHashMap<>();
        model.stateDict().forEach((k, v) -> weights.put(k, NpyArray.of(v)));
        Map<String, Map<String, NpyArray>> ema = new LinkedHashMap<>();
        for (Ema e : emas) {
            Map<String, NpyArray> w = new LinkedHashMap<>();
            e.weights().forEach((k, v) -> w.put(k, NpyArray.of(v)));
            ema.put(TrainingSettings.rateName(e.rate()), w);
        }
        Map<String, NpyArray> o = new LinkedHashMap<>();
        opt.exp_avg().forEach((k, v) -> o.put("exp_avg/" + k, NpyArray.of(v)));
        opt.exp_avg_sq().forEach((k, v) -> o.put("exp_avg_sq/" + k, NpyArray.of(v)));
        if (timesteps instanceof LossSecondMomentResampler lsm) {
            int n = numTimesteps, h = LossSecondMomentResampler.DEFAULT_HISTORY;
            double[] hist = new double[n * h];
            long[] counts = new long[n];
            for (int t = 0; t < n; t++) {
                double[] v = lsm.history(t);
                counts[t] = v.length;
                System.arraycopy(v, 0, hist, t * h, v.length);
            }
            o.put("sampler/history", NpyArray.of(hist, n, h));
            o.put("sampler/counts", NpyArray.of(counts, n));
        }
        return new Checkpoint(meta, weights, ema, o);
    }

    /** Loads everything but the step counters, which the run keeps. */
    static void restore(Checkpoint c, UNetModel model, List<Ema> emas, AdamW opt, TimestepSampler timesteps) {
        model.loadStateDict(c.model());
        Map<String, INDArray> m = new LinkedHashMap<>(), v = new LinkedHashMap<>();
        for (String k : model.parameterNames()) {
            NpyArray a = c.optimizer().get("exp_avg/" + k), b = c.optimizer().get("exp_avg_sq/" + k);
            if (a != null && b != null) {
                m.put(k, a.toINDArray());
                v.put(k, b.toINDArray());
            }
        }
        // Imported weights carry no optimizer state: the reference too starts a fresh AdamW then.
        if (m.size() == model.parameterNames().size()) opt.loadState(c.meta().path("adam_step").asLong(c.step()), m, v);
        JsonNode updates = c.meta().path("ema_updates");
        for (Ema e : emas) {
            String name = TrainingSettings.rateName(e.rate());
            Map<String, NpyArray> saved = c.ema().get(name);
            Map<String, INDArray> w = new LinkedHashMap<>();
            if (saved != null) saved.forEach((k, a) -> w.put(k, a.toINDArray()));
            else model.stateDict().forEach((k, a) -> w.put(k, a.dup()));
            e.load(w, updates.path(name).asLong(c.step()));
        }
        NpyArray hist = c.optimizer().get("sampler/history"), counts = c.optimizer().get("sampler/counts");
        if (timesteps instanceof LossSecondMomentResampler lsm && hist != null && counts != null) {
            double[] h = hist.toDoubles();
            long[] n = counts.toLongs();
            int per = (int) hist.shape()[1];
            for (int t = 0; t < n.length; t++) {
                int k = (int) n[t];
                int[] ts = new int[k];
                Arrays.fill(ts, t);
                lsm.update(ts, Arrays.copyOfRange(h, t * per, t * per + k));
            }
        }
    }
}
