package org.diffusionexplorer.train;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.exec.DataParallel;
import org.diffusionexplorer.exec.PlanStore;
import org.diffusionexplorer.exec.PlannedGraph;
import org.diffusionexplorer.nn.OpRegistration;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One optimisation step on a SameDiff graph whose scalar loss variable is given: forward and
 * backward per micro-batch (gradients accumulated), grad norm, AdamW, then every EMA.
 *
 * <p>Micro-batches: the reference calls backward() on each micro-batch's mean loss, so its
 * gradient is the SUM of the micro-batch gradients ({@link Accumulation#SUM}, the default).
 * {@link Accumulation#MEAN} weights each micro-batch by its share of the batch, which equals one
 * big batch exactly. Adam is nearly invariant to that scale; the logged grad norm is not.
 *
 * <p>Execution: the forward and backward pass runs through an execution plan of the gradient graph
 * ({@link PlannedGraph}), whose loss and gradient arrays are reused every step and freed by
 * {@link #close()}; where the graph cannot be planned, SameDiff runs it and every array it hands
 * back is closed as soon as it has been used, so native memory is returned at once instead of
 * whenever the Java GC finds the owners.
 */
public final class Trainer implements AutoCloseable {
    public enum Accumulation { SUM, MEAN }

    /** What one step measured. */
    public record StepResult(long step, double loss, double gradNorm, double lr) {}

    private final SameDiff sd;
    private final String lossName;
    private final List<String> paramNames;
    private final AdamW opt;
    private final List<Ema> emas;
    private final Accumulation accumulation;
    private final double baseLr;
    private long lrAnnealSteps;
    private Map<String, INDArray> accum; // allocated on the first multi-micro-batch step
    private List<String> rowOutputs = List.of();
    private final Map<String, double[]> lastRowOutputs = new LinkedHashMap<>();
    private final MemoryGuard guard = new MemoryGuard(Long.getLong("diffusion.gcBudgetMB", 512) << 20, 1);
    private final SameDiff gradFn;
    private final Map<String, String> gradName = new LinkedHashMap<>(); // parameter -> its gradient's variable
    private PlannedGraph planned;     // loss, row outputs and gradients through an execution plan
    private ShardedPass sharded;      // the same on batch shards at once, one per native thread
    private PlanStore plans = PlanStore.NONE;
    private boolean lastFromPlan;     // the last gradients belong to the plan: never close them

    public Trainer(SameDiff sd, String lossName, AdamW opt, List<Ema> emas, Accumulation accumulation) {
        this.sd = sd;
        this.lossName = lossName;
        this.opt = opt;
        this.paramNames = opt.parameterNames();
        this.emas = List.copyOf(emas);
        this.accumulation = accumulation;
        this.baseLr = opt.lr();
        this.gradFn = gradientGraph(sd, lossName);
        for (String p : paramNames) gradName.put(p, sd.getVariable(p).getGradient().name());
    }

    /**
     * The graph SameDiff differentiates {@code sd} into for the scalar {@code lossName}, built once
     * without its one-line-per-op stdout chatter.
     */
    public static SameDiff gradientGraph(SameDiff sd, String lossName) {
        sd.setLossVariables(lossName);
        OpRegistration.forDifferentiation();
        if (sd.getFunction(GRAD_FUNCTION) == null) NativeRuntime.quietly(() -> sd.createGradFunction());
        return sd.getFunction(GRAD_FUNCTION);
    }

    /** The name SameDiff M2.1 files its gradient graph under (SameDiff.GRAD_FN_KEY, not public). */
    private static final String GRAD_FUNCTION = "grad";

    /** Adds {@code mean((output - target)^2)} named "loss" with a "target" placeholder like output. */
    public static SDVariable addMseLoss(SameDiff sd, SDVariable output, String targetName) {
        SDVariable target = sd.placeHolder(targetName, output.dataType(), -1, -1, -1, -1);
        return sd.math().squaredDifference(output, target).mean("loss");
    }

    /** Linear lr anneal as the reference: lr = base * (1 - step/annealSteps); 0 turns it off. */
    public void setLrAnnealSteps(long steps) { this.lrAnnealSteps = steps; }

    public AdamW optimizer() { return opt; }

    /**
     * Where the gradient graph's execution plans are made from kept recordings ({@link PlanStore}):
     * the SameDiff recording of a training step is most of a run's first step (its every array
     * freshly allocated). Set before the first step.
     */
    public void usePlanStore(PlanStore store) {
        plans = store;
    }

    /**
     * Per-row variables (shape [rows], e.g. the per-item losses) to compute in the same forward pass as
     * the loss; after each step {@link #lastRowOutputs()} holds them for the whole batch, in row order.
     */
    public void setRowOutputs(List<String> names) {
        this.rowOutputs = List.copyOf(names);
        close(); // the plan computes the old outputs: the next step plans anew
    }

    /** The {@link #setRowOutputs row outputs} of the last step or gradients() call (name -> one value per row). */
    public Map<String, double[]> lastRowOutputs() { return lastRowOutputs; }

    public List<Ema> emas() { return emas; }

    /** Frees the gradient plan's buffers (a later step builds a new plan). */
    @Override
    public void close() {
        if (planned != null) planned.close();
        planned = null;
        if (sharded != null) sharded.close();
        sharded = null;
    }

    /** What computes the gradients: "execution plan", "SameDiff (reason)", or "not run yet". */
    public String executor() {
        if (sharded != null) {
            return sharded.unplannable() == null ? "execution plans on " + sharded.shards() + " batch shards"
                    : "SameDiff (" + sharded.unplannable() + ")";
        }
        if (planned == null) return "not run yet";
        return planned.unplannable() == null ? "execution plan" : "SameDiff (" + planned.unplannable() + ")";
    }

    /** Garbage collections the memory guard has requested so far. */
    public long gcCount() { return guard.gcCount(); }

    /**
     * Placeholders drawn afresh for each forward/backward pass, e.g. the UNet's dropout masks. Called
     * once per micro-batch, in row order, with its row count; the trainer closes the arrays after the pass.
     */
    @FunctionalInterface
    public interface PassFeed {
        Map<String, INDArray> draw(int rows);
    }

    /** A step on one batch split into micro-batches of at most {@code microbatch} rows (0: whole batch). */
    public StepResult step(Map<String, INDArray> batch, int microbatch) {
        return step(batch, microbatch, null);
    }

    /**
     * As {@link #step(Map, int)}, adding {@code perPass}'s placeholders to each micro-batch just before
     * its pass (so only one micro-batch's worth exists at a time); null for none.
     */
    public StepResult step(Map<String, INDArray> batch, int microbatch, PassFeed perPass) {
        long n = batch.values().iterator().next().size(0);
        int mb = microbatch <= 0 ? (int) n : microbatch;
        List<Map<String, INDArray>> micro = new ArrayList<>();
        for (long i = 0; i < n; i += mb) {
            long end = Math.min(n, i + mb);
            Map<String, INDArray> m = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : batch.entrySet()) {
                INDArray a = e.getValue();
                m.put(e.getKey(), (i == 0 && end == n) ? a : a.get(NDArrayIndex.interval(i, end)).dup('c'));
            }
            micro.add(m);
        }
        return step(micro, perPass);
    }

    /** A step on explicit micro-batches (placeholder name -> array each), each completed by {@code perPass} (null: nothing to add). */
    private StepResult step(List<Map<String, INDArray>> microbatches, PassFeed perPass) {
        Gradients g = gradients(microbatches, perPass);
        double gradNorm = norm(g.grads().values());
        // without an anneal the base rate, also after a session that annealed (a time budget's)
        opt.setLr(lrAnnealSteps > 0 ? baseLr * (1 - (double) opt.step() / lrAnnealSteps) : baseLr);
        double lr = opt.lr();
        opt.update(g.grads());
        if (g.grads() != accum && !lastFromPlan) closeAll(g.grads().values());
        for (Ema e : emas) e.update();
        guard.afterStep();
        return new StepResult(opt.step(), g.loss(), gradNorm, lr);
    }

    /**
     * Loss (mean over all rows) and gradients of the batch, accumulated over the micro-batches.
     * The arrays are only valid until the next call: they are reused or closed.
     */
    public record Gradients(double loss, Map<String, INDArray> grads) {}

    /** The {@link Gradients} of a batch given as micro-batches, each completed by {@code perPass} (null: nothing to add). */
    public Gradients gradients(List<Map<String, INDArray>> microbatches, PassFeed perPass) {
        lastRowOutputs.clear();
        if (microbatches.size() == 1) {
            Map<String, INDArray> m = withPass(microbatches.get(0), perPass);
            OutAndGrad og = pass(m);
            closePass(microbatches.get(0), m);
            return new Gradients(takeScalar(og.getOutputs()), og.getGradients());
        }
        long total = 0;
        for (Map<String, INDArray> m : microbatches) total += rows(m);
        if (accum == null) {
            accum = new LinkedHashMap<>();
            for (String k : paramNames) {
                INDArray p = sd.getVariable(k).getArr();
                accum.put(k, Nd4j.zeros(p.dataType(), p.shape()));
            }
        }
        for (INDArray a : accum.values()) a.assign(0);
        double lossSum = 0;
        for (Map<String, INDArray> mb : microbatches) {
            long size = rows(mb);
            Map<String, INDArray> m = withPass(mb, perPass);
            OutAndGrad og = pass(m);
            closePass(mb, m);
            lossSum += takeScalar(og.getOutputs()) * size;
            double w = accumulation == Accumulation.MEAN ? (double) size / total : 1.0;
            for (String k : paramNames) {
                INDArray g = og.getGradients().get(k);
                accum.get(k).addi(w == 1.0 ? g : g.muli(w));
                if (!lastFromPlan && g.closeable()) g.close();
            }
        }
        return new Gradients(lossSum / total, accum);
    }

    /**
     * One forward and backward pass: the outputs and the parameters' gradients, from the gradient
     * graph's execution plan when it has one ({@link #lastFromPlan} then says the arrays are the plan's).
     */
    private OutAndGrad pass(Map<String, INDArray> placeholders) {
        // at least 2 rows a shard: M2.1's strided_slice_bp (attention's q/k/v split) fails on a batch of one
        long rows = DataParallel.batchRows(placeholders);
        int shards = rows > 0 ? DataParallel.shardsFor(rows / 2, NativeRuntime.threads()) : 1;
        if (shards > 1) {
            if (sharded != null && sharded.shards() != shards) {
                sharded.close();
                sharded = null;
            }
            if (sharded == null) sharded = new ShardedPass(gradFn, lossName, rowOutputs, gradName, shards, plans);
            OutAndGrad og = sharded.run(placeholders);
            lastFromPlan = og != null;
            if (og != null) return og;
            return sd.calculateGradientsAndOutputs(placeholders, outputNames(), paramNames);
        }
        if (planned == null) {
            List<String> names = new ArrayList<>(outputNames());
            names.addAll(gradName.values());
            planned = new PlannedGraph(gradFn, names, plans);
        }
        Map<String, INDArray> got = planned.run(placeholders);
        lastFromPlan = got != null;
        if (got == null) return sd.calculateGradientsAndOutputs(placeholders, outputNames(), paramNames);
        Map<String, INDArray> outs = new LinkedHashMap<>(), grads = new LinkedHashMap<>();
        for (String k : outputNames()) outs.put(k, got.get(k));
        for (Map.Entry<String, String> e : gradName.entrySet()) grads.put(e.getKey(), got.get(e.getValue()));
        return new OutAndGrad(outs, grads);
    }

    private static Map<String, INDArray> withPass(Map<String, INDArray> micro, PassFeed perPass) {
        if (perPass == null) return micro;
        Map<String, INDArray> extra = perPass.draw(Math.toIntExact(rows(micro)));
        if (extra.isEmpty()) return micro;
        Map<String, INDArray> m = new LinkedHashMap<>(micro);
        m.putAll(extra);
        return m;
    }

    /** Closes what {@link #withPass} drew (the pass is done with it); the caller's arrays stay open. */
    private static void closePass(Map<String, INDArray> micro, Map<String, INDArray> fed) {
        if (fed == micro) return;
        for (Map.Entry<String, INDArray> e : fed.entrySet()) {
            INDArray a = e.getValue();
            if (micro.get(e.getKey()) != a && a.closeable() && !a.wasClosed()) a.close();
        }
    }


    private static long rows(Map<String, INDArray> m) {
        return m.values().iterator().next().size(0);
    }

    private List<String> outputNames() {
        if (rowOutputs.isEmpty()) return List.of(lossName);
        List<String> names = new ArrayList<>(rowOutputs.size() + 1);
        names.add(lossName);
        names.addAll(rowOutputs);
        return names;
    }

    /** The loss value; row outputs are appended to {@link #lastRowOutputs}; then every output is closed. */
    private double takeScalar(Map<String, INDArray> outs) {
        double v = outs.get(lossName).getDouble(0);
        for (String k : rowOutputs) {
            double[] add = outs.get(k).castTo(DataType.DOUBLE).toDoubleVector();
            double[] old = lastRowOutputs.get(k);
            if (old == null) {
                lastRowOutputs.put(k, add);
            } else {
                double[] both = java.util.Arrays.copyOf(old, old.length + add.length);
                System.arraycopy(add, 0, both, old.length, add.length);
                lastRowOutputs.put(k, both);
            }
        }
        if (!lastFromPlan) closeAll(outs.values());
        return v;
    }

    static void closeAll(Collection<INDArray> arrays) {
        for (INDArray a : arrays) {
            if (a != null && a.closeable()) a.close();
        }
    }

    /** sqrt(sum g^2) over all gradients, summed in double. */
    static double norm(Collection<INDArray> grads) {
        double s = 0;
        for (INDArray g : grads) {
            INDArray c = AdamW.dense(g) ? g : g.dup('c');
            int n = (int) c.length();
            if (c.dataType() == DataType.DOUBLE) {
                DoubleBuffer b = AdamW.buf64(c);
                for (int i = 0; i < n; i++) { double x = b.get(i); s += x * x; }
            } else if (c.dataType() == DataType.FLOAT) {
                FloatBuffer b = AdamW.buf32(c);
                for (int i = 0; i < n; i++) { double x = b.get(i); s += x * x; }
            } else {
                s += c.castTo(DataType.DOUBLE).norm2Number().doubleValue() * c.castTo(DataType.DOUBLE).norm2Number().doubleValue();
            }
        }
        return Math.sqrt(s);
    }
}
