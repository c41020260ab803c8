package org.diffusionexplorer.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * A graph run on shards of its batch at once: one worker thread per shard, each replaying its own
 * {@link ExecutionPlan} with one native thread. Every graph of this project is separable along the
 * batch (GroupNorm, attention and the losses are per item), so shard k's rows give exactly the
 * outputs of those rows in one big pass, up to float rounding.
 *
 * <p>Why: most of a UNet pass is thousands of small ops (element-wise, GroupNorm statistics,
 * activations, small convolutions) that libnd4j splits over OpenMP threads with a fork/join barrier
 * each; on this project's 2-core machine two threads made a pass only 1.3-1.6x faster than one,
 * while two shards of 16 digits on two workers ran a DDIM step 1.7-2.4x faster than 16 digits on
 * two OpenMP threads (measured with the digits model; see docs/speed.md). The workers set their own
 * OpenMP thread count to 1 (omp_set_num_threads is per calling thread), so oneDNN and libnd4j's
 * OpenMP loops stay on the worker's core.
 *
 * <p>Results: each worker hands its shard's outputs to a {@link ShardConsumer} on its own thread,
 * while the plan's arrays are valid; the consumer copies what it keeps (e.g. into its rows of a
 * result made beforehand). Plans are built one at a time (SameDiff's executor is not thread-safe).
 */
public final class DataParallel implements AutoCloseable {
    private static final AtomicInteger NEXT_ID = new AtomicInteger();

    /** Receives one shard's outputs: rows [from, to) of the batch. Called on the shard's worker thread. */
    @FunctionalInterface
    public interface ShardConsumer {
        void accept(int shard, long from, long to, Map<String, INDArray> outputs);
    }

    private final SameDiff sd;
    private final List<String> outputs;
    private final List<ExecutorService> workers = new ArrayList<>();
    private final List<java.util.Deque<ExecutionPlan>> plans = new ArrayList<>(); // per worker, newest first
    private volatile String unplannable;
    private final boolean equalShards;
    private final PlanStore store;
    private int plansMade;

    /**
     * @param shards the number of workers (at least 2; one shard is the plain {@link PlannedGraph})
     * @param store where the workers' plans are made from a kept recording when it has one ({@link PlanStore})
     */
    public DataParallel(SameDiff sd, List<String> outputs, int shards, PlanStore store) {
        this(sd, outputs, shards, false, store);
    }

    /**
     * Shards of equal size for graphs that are only evaluated (sampling): a batch that does not divide
     * evenly gets its last shard padded with copies of its last row, whose outputs are dropped. One
     * SameDiff recording then serves every worker, where 4 + 5 rows needed two (the Denoising pane's
     * first pass of 9 images: 2.0 s against 1.25 s), and the wall time is the biggest shard's either
     * way. Not for training graphs: padded rows would enter the loss.
     */
    public static DataParallel withEqualShards(SameDiff sd, List<String> outputs, int shards, PlanStore store) {
        return new DataParallel(sd, outputs, shards, true, store);
    }

    private DataParallel(SameDiff sd, List<String> outputs, int shards, boolean equalShards, PlanStore store) {
        if (shards < 2) throw new IllegalArgumentException("shards must be at least 2, got " + shards);
        this.equalShards = equalShards;
        this.store = store;
        this.sd = sd;
        this.outputs = List.copyOf(outputs);
        int id = NEXT_ID.incrementAndGet();
        for (int k = 0; k < shards; k++) {
            String name = "diffusion-shard-" + id + "-" + k;
            workers.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(() -> {
                    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
                    r.run();
                }, name);
                t.setDaemon(true);
                return t;
            }));
            plans.add(new java.util.ArrayDeque<>());
        }
    }

    /**
     * How many shards to use for a batch of {@code rows}: {@code threads} (the native thread count the
     * process runs with), at most one per row; {@code -Ddiffusion.shards=N} sets N instead (1: no
     * sharding, for comparisons). Always 1 when execution plans are off.
     */
    public static int shardsFor(long rows, int threads) {
        if (!PlannedGraph.enabled()) return 1;
        return shardsFor(rows, threads, System.getProperty("diffusion.shards", "auto"));
    }

    static int shardsFor(long rows, int threads, String setting) {
        String p = setting.trim();
        int want = threads;
        if (!p.equalsIgnoreCase("auto")) {
            try {
                want = Integer.parseInt(p);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("diffusion.shards must be auto or a positive integer, got '" + p + "'");
            }
        }
        return (int) Math.max(1, Math.min(want, rows));
    }

    public int shards() {
        return workers.size();
    }

    /**
     * Runs the graph on every shard of {@code placeholders} (all batch-major, the same number of rows)
     * and hands each shard's outputs to {@code consumer}. Returns false, having run nothing, when the
     * graph cannot be planned ({@link #unplannable()} says why): the caller then runs SameDiff itself.
     * Waits for every shard even when interrupted (the consumer writes into the caller's arrays), and
     * then keeps the interrupt.
     */
    public synchronized boolean run(Map<String, INDArray> placeholders, ShardConsumer consumer) {
        if (unplannable != null) return false;
        long rows = batchRows(placeholders);
        if (rows < 0) throw new IllegalArgumentException("cannot split the batch: " + rowCounts(placeholders));
        int n = workers.size();
        if (rows < n) throw new IllegalArgumentException(rows + " rows cannot make " + n + " shards");
        long per = (rows + n - 1) / n; // rows of every shard when they are equal
        if (equalShards) n = (int) ((rows + per - 1) / per); // 5 rows in 4 shards of 2: three shards
        long[] bound = new long[n + 1];
        for (int k = 0; k <= n; k++) bound[k] = equalShards ? Math.min(rows, k * per) : rows * k / n;
        List<Map<String, INDArray>> parts = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            Map<String, INDArray> part = new java.util.LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
                INDArray rowsOf = e.getValue().get(NDArrayIndex.interval(bound[k], bound[k + 1]));
                part.put(e.getKey(), equalShards ? padded(e.getValue(), rowsOf, bound[k + 1] - 1, per) : rowsOf);
            }
            parts.add(part);
        }
        List<ExecutionPlan> use;
        try {
            use = plansFor(parts);
        } catch (UnsupportedOperationException e) {
            unplannable = e.getMessage();
            System.err.println("note: this graph runs on SameDiff's executor: " + unplannable);
            return false;
        }
        List<Future<Boolean>> done = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            long from = bound[k], to = bound[k + 1];
            int shard = k;
            ExecutionPlan plan = use.get(k);
            Map<String, INDArray> part = parts.get(k);
            done.add(workers.get(k).submit(() -> {
                Map<String, INDArray> got = plan.run(part);
                consumer.accept(shard, from, to, equalShards && to - from < per ? firstRows(got, to - from) : got);
                return true;
            }));
        }
        boolean all = true, interrupted = false;
        RuntimeException failure = null;
        for (Future<Boolean> f : done) {
            while (true) {
                try {
                    all &= f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (failure == null) failure = c instanceof RuntimeException re ? re : new IllegalStateException(c);
                    break;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (failure != null) throw failure;
        return all;
    }

    /** {@code rows} followed by copies of the batch's row {@code last} up to {@code per} rows. */
    private static INDArray padded(INDArray batch, INDArray rows, long last, long per) {
        long missing = per - rows.size(0);
        if (missing == 0) return rows;
        INDArray[] pieces = new INDArray[(int) missing + 1];
        pieces[0] = rows;
        for (int i = 1; i < pieces.length; i++) pieces[i] = batch.get(NDArrayIndex.interval(last, last + 1));
        return Nd4j.concat(0, pieces);
    }

    /** A padded shard's outputs (per row, as an evaluated graph's are) without the padding rows. */
    private static Map<String, INDArray> firstRows(Map<String, INDArray> outputs, long n) {
        Map<String, INDArray> cut = new java.util.LinkedHashMap<>();
        outputs.forEach((k, v) -> cut.put(k, v.get(NDArrayIndex.interval(0, n))));
        return cut;
    }

    /** How many times this has made plans (once per distinct shard shape it met: a SameDiff recording or a kept one). */
    public synchronized int plansMade() {
        return plansMade;
    }

    /**
     * Each worker's plan for its shard's shapes: a plan it has, or new ones, built on this thread from
     * one SameDiff recording per distinct shard shape (shards of equal size share the recording).
     */
    private List<ExecutionPlan> plansFor(List<Map<String, INDArray>> parts) {
        ExecutionPlan[] use = new ExecutionPlan[parts.size()];
        Map<String, List<Integer>> missing = new java.util.LinkedHashMap<>();
        for (int k = 0; k < parts.size(); k++) {
            for (ExecutionPlan p : plans.get(k)) {
                if (p.fits(parts.get(k))) {
                    use[k] = p;
                    break;
                }
            }
            if (use[k] == null) missing.computeIfAbsent(shapeKey(parts.get(k)), x -> new ArrayList<>()).add(k);
        }
        for (List<Integer> same : missing.values()) {
            List<ExecutionPlan> built;
            synchronized (sd) { // SameDiff's executor is not thread-safe
                built = ExecutionPlan.buildMany(sd, parts.get(same.get(0)), outputs, same.size(), store);
            }
            plansMade++;
            for (int i = 0; i < same.size(); i++) use[same.get(i)] = built.get(i);
        }
        for (int k = 0; k < use.length; k++) { // most recent first; keep two shapes per worker
            java.util.Deque<ExecutionPlan> mine = plans.get(k);
            mine.remove(use[k]);
            mine.addFirst(use[k]);
            while (mine.size() > 2) mine.removeLast().close();
        }
        return List.of(use);
    }

    private static String shapeKey(Map<String, INDArray> part) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, INDArray> e : part.entrySet()) b.append(e.getKey()).append(java.util.Arrays.toString(e.getValue().shape()));
        return b.toString();
    }

    /**
     * The number of rows every placeholder has, or -1 when they differ or one has no rows (a scalar):
     * such a batch cannot be split.
     */
    public static long batchRows(Map<String, INDArray> placeholders) {
        long n = -1;
        for (INDArray a : placeholders.values()) {
            if (a.rank() == 0 || (n >= 0 && a.size(0) != n)) return -1;
            n = a.size(0);
        }
        return n;
    }

    /** "placeholder t has 3 rows, x has 4": the first that differs from the first, for the refusal. */
    private static String rowCounts(Map<String, INDArray> placeholders) {
        String first = null;
        long rows = 0;
        for (Map.Entry<String, INDArray> e : placeholders.entrySet()) {
            long r = e.getValue().rank() == 0 ? 0 : e.getValue().size(0);
            if (first == null) {
                first = e.getKey();
                rows = r;
            } else if (r != rows || r == 0) {
                return "placeholder " + e.getKey() + " has " + r + " rows, " + first + " has " + rows;
            }
        }
        return "placeholder " + first + " has no rows";
    }

    /** Why the graph is not planned, or null. */
    public String unplannable() {
        return unplannable;
    }

    @Override
    public synchronized void close() {
        for (ExecutorService w : workers) w.shutdown();
        for (ExecutorService w : workers) {
            try {
                w.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES); // a running shard finishes first
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (java.util.Deque<ExecutionPlan> mine : plans) {
            for (ExecutionPlan p : mine) p.close();
            mine.clear();
        }
    }
}
