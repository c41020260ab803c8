package org.diffusionexplorer.exec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;

/**
 * Wall time of every native op an {@link ExecutionPlan} runs, by op name, while profiling is on
 * ({@link #start()}); {@link #byKind()} sums them into the kinds the speed table uses. Off (the
 * default) it costs one volatile read per plan call.
 */
public final class OpProfile {
    private static final boolean DETAIL = Boolean.getBoolean("diffusion.profile.detail");
    private static volatile OpProfile active;

    private final Map<String, long[]> byOp = new TreeMap<>(); // op name -> {nanos, calls}

    private OpProfile() {}

    /** A new, empty profile (not collecting yet). */
    public static OpProfile create() {
        return new OpProfile();
    }

    /** Collects into this profile from now on (in place of any other). */
    public void resume() {
        active = this;
    }

    /** Stops collecting, into any profile. */
    public static void stop() {
        active = null;
    }

    /**
     * The table the README's speed section shows: each kind's milliseconds per {@code per} (e.g. per
     * training step, over {@code count} of them) and its share of {@code wallMs}, the measured time
     * per unit, with the part outside the native ops as the last row.
     */
    public String table(String per, int count, double wallMs) {
        StringBuilder sb = new StringBuilder();
        double ops = 0;
        for (double v : byKind().values()) ops += v / count;
        // Batch shards run ops on several workers at once (DataParallel): their op time then adds up to
        // more than the wall time, so the shares are of the op time and the ms are summed over workers.
        boolean parallel = ops > wallMs;
        sb.append(String.format(Locale.ROOT, "  %-42s %9s %7s%n", "where the time goes (" + per + ")",
                parallel ? "ms (sum)" : "ms", "share"));
        for (Map.Entry<String, Double> e : byKind().entrySet()) {
            double ms = e.getValue() / count;
            sb.append(String.format(Locale.ROOT, "  %-42s %9.1f %6.1f%%%n", e.getKey(), ms, 100 * ms / (parallel ? ops : wallMs)));
        }
        if (parallel) {
            sb.append(String.format(Locale.ROOT, "  ops ran on parallel batch shards: %.1f ms of op time in %.1f ms of wall time (%.2fx)%n",
                    ops, wallMs, ops / wallMs));
        } else {
            sb.append(String.format(Locale.ROOT, "  %-42s %9.1f %6.1f%%%n", "outside the ops (Java: optimizer, EMA, framework)",
                    wallMs - ops, 100 * (wallMs - ops) / wallMs));
        }
        sb.append("  costliest ops:");
        byOp().entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue())).limit(Integer.getInteger("diffusion.profile.ops", 12))
                .forEach(e -> sb.append(String.format(Locale.ROOT, " %s %.0f,", e.getKey(), e.getValue() / count)));
        sb.setLength(sb.length() - 1);
        return sb.append(System.lineSeparator()).toString();
    }

    /**
     * The name an op's time is counted under: its libnd4j name, or with {@code -Ddiffusion.profile.detail=true}
     * its name and input shapes ({@code multiply_bp[[32, 64, 32, 32], ...]}), to find which instance of an op costs.
     */
    static String label(String op, OpContext ctx) {
        if (!DETAIL || ctx.getInputArrays().isEmpty()) return op;
        StringBuilder sb = new StringBuilder(op).append('[');
        for (INDArray in : ctx.getInputArrays()) sb.append(Arrays.toString(in.shape())).append(',');
        sb.setLength(sb.length() - 1);
        return sb.append(']').toString();
    }

    static OpProfile active() {
        return active;
    }

    synchronized void add(String op, long nanos) {
        long[] v = byOp.computeIfAbsent(op, k -> new long[2]);
        v[0] += nanos;
        v[1]++;
    }

    /** Milliseconds by op name. */
    public synchronized Map<String, Double> byOp() {
        Map<String, Double> m = new TreeMap<>();
        byOp.forEach((k, v) -> m.put(k, v[0] / 1e6));
        return m;
    }

    /** Milliseconds by kind (see {@link #kind}), in a fixed order. */
    public synchronized Map<String, Double> byKind() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (String k : KINDS) m.put(k, 0.0);
        byOp.forEach((op, v) -> m.merge(kind(op), v[0] / 1e6, Double::sum));
        return m;
    }

    static final String[] KINDS = {"conv forward", "conv backward", "matmul (attention, linear)", "softmax",
        "reductions (GroupNorm statistics, loss)", "activations (SiLU)", "elementwise", "layout (reshape, permute, slice)", "other"};

    /** The kind of a libnd4j op by its name. */
    static String kind(String op) {
        if (op.indexOf('[') > 0) op = op.substring(0, op.indexOf('[')); // a detailed label
        String o = op.toLowerCase(Locale.ROOT);
        boolean bp = o.endsWith("_bp") || o.contains("backprop") || o.contains("derivative");
        if (o.startsWith("conv2d") || o.startsWith("deconv2d")) return bp ? KINDS[1] : KINDS[0];
        if (o.startsWith("group_norm_mean")) return KINDS[4]; // nn.GroupNormOps: a statistic, though a matmul
        if (o.startsWith("group_norm_")) return KINDS[6];
        if (o.contains("matmul") || o.contains("mmul") || o.equals("tensordot") || o.contains("gemm")) return KINDS[2];
        if (o.contains("softmax")) return KINDS[3];
        if (o.startsWith("reduce") || o.contains("mean") || o.contains("moments") || o.contains("sum") || o.contains("variance")
                || o.contains("norm")) return KINDS[4];
        if (o.contains("sigmoid") || o.contains("tanh") || o.contains("swish") || o.contains("silu")) return KINDS[5];
        if (o.contains("reshape") || o.contains("permute") || o.contains("transpose") || o.contains("slice") || o.contains("concat")
                || o.contains("split") || o.contains("stack") || o.contains("upsampling") || o.contains("tile") || o.contains("gather")
                || o.contains("onehot") || o.contains("identity") || o.contains("assign") || o.contains("expand")
                || o.contains("squeeze") || o.contains("shape") || o.contains("cast")) return KINDS[7];
        if (o.contains("add") || o.contains("sub") || o.contains("mul") || o.contains("div") || o.contains("pow")
                || o.contains("sqrt") || o.contains("square") || o.contains("exp") || o.contains("log") || o.contains("sin")
                || o.contains("cos") || o.contains("neg") || o.contains("scalar") || o.contains("biasadd") || o.contains("abs")
                || o.contains("max") || o.contains("min") || o.contains("clip")) return KINDS[6];
        return KINDS[8];
    }
}
