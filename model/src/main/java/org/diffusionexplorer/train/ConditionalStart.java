package org.diffusionexplorer.train;

import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.io.NpyArray;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lets an unconditional checkpoint start a class-conditional run. The reference adds
 * {@code label_emb(y)} to the timestep embedding; a label table of zeros leaves the loaded model's
 * output unchanged at the first step, so fine-tuning learns the classes without first undoing the
 * jolt a random table (PyTorch's N(0, 1) default) would give every block. The new table's AdamW
 * moments start at zero, as for any parameter the optimizer has not seen.
 */
final class ConditionalStart {
    static final String LABEL_EMB = "label_emb.weight";

    private ConditionalStart() {}

    /** {@code c} with a zero label table of {@code classes} rows in the model, every EMA and the AdamW moments. */
    static Checkpoint withZeroLabels(Checkpoint c, int classes, int embDim) {
        NpyArray zeros = NpyArray.of(new float[classes * embDim], classes, embDim);
        Map<String, NpyArray> model = new HashMap<>(c.model());
        model.put(LABEL_EMB, zeros);
        Map<String, Map<String, NpyArray>> ema = new TreeMap<>();
        c.ema().forEach((rate, w) -> {
            Map<String, NpyArray> e = new HashMap<>(w);
            e.put(LABEL_EMB, zeros);
            ema.put(rate, e);
        });
        Map<String, NpyArray> opt = new HashMap<>(c.optimizer());
        if (opt.keySet().stream().anyMatch(k -> k.startsWith("exp_avg/"))) {
            opt.put("exp_avg/" + LABEL_EMB, zeros);
            opt.put("exp_avg_sq/" + LABEL_EMB, zeros);
        }
        return new Checkpoint(c.meta(), model, ema, opt);
    }
}
