package org.diffusionexplorer.train;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.shape.Shape;
import org.nd4j.linalg.factory.Nd4j;

/**
 * AdamW with the arithmetic of torch.optim.AdamW (single-tensor path), applied in place to the live
 * parameter arrays. Per element, in the parameter's precision with the scalars rounded to it as
 * PyTorch does:
 * <pre>
 *   p *= 1 - lr*wd;  m = b1*m + (1-b1)*g;  v = b2*v + (1-b2)*g*g
 *   p -= (lr / (1-b1^t)) * m / (sqrt(v) / sqrt(1-b2^t) + eps)
 * </pre>
 * The update runs as a plain Java loop over the off-heap buffers: it allocates nothing per step
 * (every ND4J op would allocate a result array) and its rounding is under our control.
 */
public final class AdamW {
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final double weightDecay;
    private double lr;
    private long step;
    private final Map<String, INDArray> params;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();

    public AdamW(Map<String, INDArray> params, double lr) {
        this(params, lr, 0.9, 0.999, 1e-8, 0.0);
    }

    /** @param params name -> live parameter array (contiguous, FLOAT or DOUBLE); iteration order is kept */
    public AdamW(Map<String, INDArray> params, double lr, double beta1, double beta2, double eps, double weightDecay) {
        this.params = new LinkedHashMap<>(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        for (Map.Entry<String, INDArray> e : this.params.entrySet()) {
            INDArray p = e.getValue();
            checkContiguous(e.getKey(), p);
            m.put(e.getKey(), Nd4j.zeros(p.dataType(), p.shape()));
            v.put(e.getKey(), Nd4j.zeros(p.dataType(), p.shape()));
        }
    }

    public double lr() { return lr; }

    /** Sets the learning rate of the next steps (the reference's param_group["lr"]). */
    public void setLr(double lr) { this.lr = lr; }

    /** Number of steps taken (PyTorch's state "step"). */
    public long step() { return step; }

    public List<String> parameterNames() { return new ArrayList<>(params.keySet()); }

    /** First moments (live; for checkpoints). */
    public Map<String, INDArray> exp_avg() { return m; }

    /** Second moments (live; for checkpoints). */
    public Map<String, INDArray> exp_avg_sq() { return v; }

    /** Restores a saved state; arrays are copied into the existing moment buffers. */
    public void loadState(long step, Map<String, INDArray> expAvg, Map<String, INDArray> expAvgSq) {
        for (String k : params.keySet()) {
            INDArray a = expAvg.get(k), b = expAvgSq.get(k);
            if (a == null || b == null) throw new IllegalArgumentException("optimizer state lacks " + k);
            m.get(k).assign(a);
            v.get(k).assign(b);
        }
        this.step = step;
    }

    /** One update with the given gradients (name -> gradient of the same shape). */
    public void update(Map<String, INDArray> grads) {
        step++;
        double bc1 = 1 - Math.pow(beta1, step);
        double bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
        double stepSize = lr / bc1;
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            String k = e.getKey();
            INDArray g = grads.get(k);
            if (g == null) throw new IllegalArgumentException("no gradient for " + k);
            INDArray p = e.getValue();
            if (g.length() != p.length()) throw new IllegalArgumentException("gradient of " + k + " has the wrong size");
            if (p.dataType() == DataType.DOUBLE) {
                updateDouble(buf64(p), buf64(g.dataType() == DataType.DOUBLE && dense(g) ? g : g.castTo(DataType.DOUBLE).dup('c')),
                        buf64(m.get(k)), buf64(v.get(k)), (int) p.length(), stepSize, bc2Sqrt);
            } else {
                INDArray gc = g.dataType() == DataType.FLOAT && dense(g) ? g : g.castTo(DataType.FLOAT).dup('c');
                updateFloat(buf32(p), buf32(gc), buf32(m.get(k)), buf32(v.get(k)), (int) p.length(), stepSize, bc2Sqrt);
            }
        }
    }

    private void updateFloat(FloatBuffer p, FloatBuffer g, FloatBuffer m, FloatBuffer v, int n, double stepSize, double bc2Sqrt) {
        final float decay = (float) (1 - lr * weightDecay);
        final float b1 = (float) beta1, a1 = (float) (1 - beta1);
        final float b2 = (float) beta2, a2 = (float) (1 - beta2);
        final float bc2 = (float) bc2Sqrt, ep = (float) eps, ss = (float) stepSize;
        final boolean decays = weightDecay != 0;
        for (int i = 0; i < n; i++) {
            float pi = p.get(i);
            if (decays) pi *= decay;
            float gi = g.get(i);
            float mi = b1 * m.get(i) + a1 * gi;
            float vi = b2 * v.get(i) + a2 * gi * gi;
            m.put(i, mi);
            v.put(i, vi);
            float denom = (float) Math.sqrt(vi) / bc2 + ep;
            p.put(i, pi - ss * (mi / denom));
        }
    }

    private void updateDouble(DoubleBuffer p, DoubleBuffer g, DoubleBuffer m, DoubleBuffer v, int n, double stepSize, double bc2Sqrt) {
        final double decay = 1 - lr * weightDecay;
        for (int i = 0; i < n; i++) {
            double gi = g.get(i);
            double mi = beta1 * m.get(i) + (1 - beta1) * gi;
            double vi = beta2 * v.get(i) + (1 - beta2) * gi * gi;
            m.put(i, mi);
            v.put(i, vi);
            p.put(i, p.get(i) * decay - stepSize * (mi / (Math.sqrt(vi) / bc2Sqrt + eps)));
        }
    }

    static void checkContiguous(String name, INDArray a) {
        if (a.isView() || a.ordering() != 'c' || (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE)) {
            throw new IllegalArgumentException(name + " must be a contiguous FLOAT or DOUBLE array");
        }
    }

    /**
     * Whether the array's elements lie one after another in row-major order (from its offset), so
     * that {@link #buf32} reads them as they are. Not {@code !isView()}: an execution plan's outputs
     * are reshaped views of its buffers, and copying every gradient for that took a step 2 x 7 MB of
     * fresh native arrays (JFR: allocateDataBuffer under AdamW.update and Trainer.norm).
     */
    static boolean dense(INDArray a) {
        return a.ordering() == 'c' && Shape.hasDefaultStridesForShape(a); // ND4J's test is true for 'f' strides too
    }

    /** Direct view of an array's elements (offset applied), no copy. */
    static FloatBuffer buf32(INDArray a) {
        FloatBuffer b = a.data().asNioFloat();
        b.position((int) a.offset());
        return b.slice();
    }

    static DoubleBuffer buf64(INDArray a) {
        DoubleBuffer b = a.data().asNioDouble();
        b.position((int) a.offset());
        return b.slice();
    }
}
