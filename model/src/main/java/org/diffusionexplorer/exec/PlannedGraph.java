package org.diffusionexplorer.exec;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A graph computing fixed outputs through {@link ExecutionPlan}s, one per placeholder shape (the
 * few most recently used are kept), or through SameDiff itself when the graph cannot be planned or
 * plans are switched off ({@code -Ddiffusion.executionPlan=false}, for comparisons).
 */
public final class PlannedGraph implements AutoCloseable {
    private static final int KEEP = 2;

    private final SameDiff sd;
    private final List<String> outputs;
    private final PlanStore store;
    private final Deque<ExecutionPlan> plans = new ArrayDeque<>();
    private volatile int plansMade;
    private String unplannable;

    /** Plans made from the recordings {@code store} keeps where it has one ({@link PlanStore}). */
    public PlannedGraph(SameDiff sd, List<String> outputs, PlanStore store) {
        this.sd = sd;
        this.outputs = List.copyOf(outputs);
        this.store = store;
        if (!enabled()) unplannable = "switched off (-Ddiffusion.executionPlan=false)";
    }

    /** Whether execution plans are used in this process (the default). */
    public static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty("diffusion.executionPlan", "true"));
    }

    /**
     * The outputs for these placeholder values, from a plan (arrays owned by the plan, valid until the
     * next call), or null when this graph runs on SameDiff: the caller then calls SameDiff itself.
     */
    public Map<String, INDArray> run(Map<String, INDArray> placeholders) {
        if (unplannable != null) return null;
        ExecutionPlan plan = null;
        for (ExecutionPlan p : plans) {
            if (p.fits(placeholders)) {
                plan = p;
                break;
            }
        }
        if (plan == null) {
            try {
                plan = ExecutionPlan.buildMany(sd, placeholders, outputs, 1, store).get(0);
                plansMade++;
            } catch (UnsupportedOperationException e) {
                unplannable = e.getMessage();
                System.err.println("note: this graph runs on SameDiff's executor: " + unplannable);
                return null;
            }
            if (plans.size() == KEEP) plans.removeLast().close();
        } else {
            plans.remove(plan);
        }
        plans.addFirst(plan);
        return plan.run(placeholders);
    }

    /** Why the graph is not planned, or null when it is. */
    public String unplannable() {
        return unplannable;
    }

    /** How many plans this has made (one per placeholder shape it met, again after eviction), recorded or from a kept recording. */
    public int plansMade() {
        return plansMade;
    }

    @Override
    public void close() {
        for (ExecutionPlan p : plans) p.close();
        plans.clear();
    }
}
