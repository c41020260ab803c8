package org.diffusionexplorer.train;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.exec.DataParallel;
import org.diffusionexplorer.exec.PlanStore;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@link Trainer}'s forward and backward pass on shards of the batch at once ({@link DataParallel}:
 * one worker per core), combined into what one pass over the whole batch gives. The loss is a mean
 * over rows (as {@link Trainer.Accumulation#MEAN} assumes), so the loss and every gradient are the
 * shards' values weighted by their share of the rows; row outputs are joined in row order.
 *
 * <p>Each worker scales its gradients into buffers of its own while the plan's arrays are valid
 * (shard 0 straight into the combined buffers), and the calling thread adds the others. The
 * returned arrays belong to this object and are overwritten by the next pass.
 */
final class ShardedPass implements AutoCloseable {
    private final DataParallel parallel;
    private final String lossName;
    private final List<String> rowOutputs;
    private final Map<String, String> gradName; // parameter -> its gradient's variable
    private final List<Map<String, INDArray>> grads; // per shard; shard 0's is the combined result
    private final double[] losses;
    private final List<Map<String, double[]>> rows;

    ShardedPass(SameDiff gradFn, String lossName, List<String> rowOutputs, Map<String, String> gradName, int shards, PlanStore store) {
        List<String> names = new java.util.ArrayList<>();
        names.add(lossName);
        names.addAll(rowOutputs);
        names.addAll(gradName.values());
        this.parallel = new DataParallel(gradFn, names, shards, store);
        this.lossName = lossName;
        this.rowOutputs = List.copyOf(rowOutputs);
        this.gradName = new LinkedHashMap<>(gradName);
        this.grads = new java.util.ArrayList<>();
        this.rows = new java.util.ArrayList<>();
        for (int k = 0; k < shards; k++) {
            grads.add(new LinkedHashMap<>());
            rows.add(new LinkedHashMap<>());
        }
        this.losses = new double[shards];
    }

    int shards() {
        return parallel.shards();
    }

    /** Why the graph is not planned (the trainer then runs SameDiff), or null. */
    String unplannable() {
        return parallel.unplannable();
    }

    /** The outputs and gradients of the whole batch, or null when the graph cannot be planned. */
    OutAndGrad run(Map<String, INDArray> placeholders) {
        long total = placeholders.values().iterator().next().size(0);
        boolean ok = parallel.run(placeholders, (k, from, to, got) -> {
            double share = (double) (to - from) / total;
            losses[k] = got.get(lossName).getDouble(0) * share;
            for (String r : rowOutputs) rows.get(k).put(r, got.get(r).castTo(DataType.DOUBLE).toDoubleVector());
            Map<String, INDArray> mine = grads.get(k);
            for (Map.Entry<String, String> e : gradName.entrySet()) {
                INDArray g = got.get(e.getValue());
                INDArray dst = mine.computeIfAbsent(e.getKey(), p -> Nd4j.createUninitialized(g.dataType(), g.shape()));
                g.mul(share, dst);
            }
        });
        if (!ok) return null;
        Map<String, INDArray> combined = grads.get(0);
        for (int k = 1; k < grads.size(); k++) {
            for (Map.Entry<String, INDArray> e : grads.get(k).entrySet()) combined.get(e.getKey()).addi(e.getValue());
        }
        double loss = 0;
        for (double l : losses) loss += l;
        Map<String, INDArray> outs = new LinkedHashMap<>();
        outs.put(lossName, Nd4j.scalar(loss));
        for (String r : rowOutputs) {
            double[] all = new double[Math.toIntExact(total)];
            int at = 0;
            for (Map<String, double[]> shard : rows) {
                double[] part = shard.get(r);
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            outs.put(r, Nd4j.createFromArray(all));
        }
        return new OutAndGrad(outs, new LinkedHashMap<>(combined));
    }

    @Override
    public void close() {
        parallel.close();
        for (Map<String, INDArray> m : grads) {
            for (INDArray a : m.values()) if (a.closeable() && !a.wasClosed()) a.close();
            m.clear();
        }
    }
}
