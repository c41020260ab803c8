package org.diffusionexplorer.nn;

/**
 * Tells ND4J about this project's own ops ({@link NativeOp}'s subclasses and {@link NativeTanh}), which
 * SameDiff needs before it differentiates a graph holding them: it clones the graph through its
 * FlatBuffers form first (createGradFunction) and maps each op back to a Java class by its name, or
 * for a custom op by the hash of its name.
 *
 * <p>Only graphs that are differentiated pay for it (training graphs, the trainer, gradient checks):
 * the first registration builds ND4J's op registries. Done for every graph, the native tanh's
 * (DifferentialFunctionClassHolder) made the process's first sampling pass 0.8 s slower (`sample
 * --model digits --n 9 --steps 1`, one thread: 2.3-2.5 s with it, 1.6-1.7 s without), and GroupNorm's
 * and the row ops' (ImportClassMapping, which loads and instantiates every op class) half of the
 * bundled model's evaluation-graph build (0.53 s with it, 0.26 s without, timed in a small harness,
 * 2026-12-04). Inference never clones a graph.
 */
public final class OpRegistration {
    private static boolean registered;

    private OpRegistration() {}

    /** Call before SameDiff differentiates a graph holding this project's ops; idempotent and thread-safe. */
    public static synchronized void forDifferentiation() {
        if (registered) return;
        NativeTanh.register();
        GroupNormOps.register();
        RowBroadcast.register();
        registered = true;
    }
}
