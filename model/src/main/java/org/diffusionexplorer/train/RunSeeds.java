package org.diffusionexplorer.train;

import java.util.SplittableRandom;

/**
 * Every random choice of a run derives from (seed, purpose, step), never from a generator that
 * carries state from step to step. So the RNG state of a run is just its step number: a run resumed
 * from the checkpoint of step k draws exactly what the uninterrupted run drew from step k on.
 * (The data order is the same kind of function of (data seed, batch number), see BatchIterator.)
 */
public final class RunSeeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    static final long INIT = 0, DATA = 1, STEP = 2, DROPOUT = 3, SAMPLES = 4;

    private RunSeeds() {}

    public static long derive(long seed, long purpose) {
        return new SplittableRandom(seed * GOLDEN + purpose).nextLong();
    }

    public static long derive(long seed, long purpose, long step) {
        return new SplittableRandom(derive(seed, purpose) * GOLDEN + step).nextLong();
    }

    /** Timesteps and noise of the step that starts with {@code step} updates completed. */
    public static SplittableRandom forStep(long seed, long step) {
        return new SplittableRandom(derive(seed, STEP, step));
    }

    /** The dropout masks of that step, drawn micro-batch by micro-batch in row order. */
    public static SplittableRandom dropoutForStep(long seed, long step) {
        return new SplittableRandom(derive(seed, DROPOUT, step));
    }
}
