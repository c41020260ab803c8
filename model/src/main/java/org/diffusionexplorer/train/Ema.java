package org.diffusionexplorer.train;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Exponential moving average of the weights for one rate, as the reference's update_ema:
 * {@code ema = rate*ema + (1-rate)*p}, in place, in the parameters' precision.
 *
 * <p>Optional warm-up: the effective rate is {@code min(rate, (1+n)/(10+n))} for the n-th update
 * (n from 0), so a small model's EMA follows the weights early on instead of staying at the
 * initialisation for ~1/(1-rate) steps. Without warm-up this is exactly the reference.
 */
public final class Ema {
    private final double rate;
    private final boolean warmup;
    private long updates;
    private final Map<String, INDArray> source;
    private final Map<String, INDArray> ema = new LinkedHashMap<>();

    /** Starts as a copy of the current source weights (the reference's deepcopy). */
    public Ema(Map<String, INDArray> source, double rate, boolean warmup) {
        if (!(rate >= 0 && rate <= 1)) throw new IllegalArgumentException("EMA rate must be in [0, 1], got " + rate);
        this.rate = rate;
        this.warmup = warmup;
        this.source = new LinkedHashMap<>(source);
        for (Map.Entry<String, INDArray> e : this.source.entrySet()) {
            AdamW.checkContiguous(e.getKey(), e.getValue());
            ema.put(e.getKey(), e.getValue().dup('c'));
        }
    }

    public double rate() { return rate; }

    public long updates() { return updates; }

    /** The averaged weights (live arrays; name -> array). */
    public Map<String, INDArray> weights() { return ema; }

    /** The rate used by the next update. */
    public double effectiveRate() {
        return warmup ? Math.min(rate, (1.0 + updates) / (10.0 + updates)) : rate;
    }

    /** Restores saved averages and the update count (for the warm-up). */
    public void load(Map<String, INDArray> weights, long updates) {
        for (String k : ema.keySet()) {
            INDArray w = weights.get(k);
            if (w == null) throw new IllegalArgumentException("EMA state lacks " + k);
            ema.get(k).assign(w);
        }
        this.updates = updates;
    }

    public void update() {
        double r = effectiveRate();
        for (Map.Entry<String, INDArray> e : ema.entrySet()) {
            INDArray t = e.getValue();
            INDArray s = source.get(e.getKey());
            int n = (int) t.length();
            if (t.dataType() == DataType.DOUBLE) {
                DoubleBuffer tb = AdamW.buf64(t), sb = AdamW.buf64(s);
                for (int i = 0; i < n; i++) tb.put(i, tb.get(i) * r + sb.get(i) * (1 - r));
            } else {
                FloatBuffer tb = AdamW.buf32(t), sb = AdamW.buf32(s);
                float rf = (float) r, af = (float) (1 - r);
                for (int i = 0; i < n; i++) tb.put(i, tb.get(i) * rf + af * sb.get(i));
            }
        }
        updates++;
    }
}
