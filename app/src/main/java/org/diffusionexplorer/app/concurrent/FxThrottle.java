package org.diffusionexplorer.app.concurrent;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs an action on the FX thread at most once per {@code gapMillis}, however often {@link #request()}
 * is called from other threads: a run doing fifty steps a second must not queue fifty updates a
 * second on the FX thread. At most one run of the action is pending at any time, and every request is
 * served by a run that starts after it.
 */
public final class FxThrottle {
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fx-throttle");
        t.setDaemon(true);
        return t;
    });

    private final Runnable action;
    private final Executor fx;
    private final long gapNanos;
    private final AtomicBoolean pending = new AtomicBoolean();
    private volatile long lastRun = System.nanoTime() - Long.MAX_VALUE / 4;

    /** @param fx the hop to the FX thread (Platform::runLater; tests may run inline) */
    public FxThrottle(Runnable action, Executor fx, long gapMillis) {
        this.action = action;
        this.fx = fx;
        this.gapNanos = TimeUnit.MILLISECONDS.toNanos(gapMillis);
    }

    public void request() {
        if (!pending.compareAndSet(false, true)) return; // the pending run will see this request's data
        long wait = lastRun + gapNanos - System.nanoTime();
        if (wait <= 0) fx.execute(this::run);
        else TIMER.schedule(() -> fx.execute(this::run), wait, TimeUnit.NANOSECONDS);
    }

    private void run() {
        // cleared first: a request made while the action runs schedules another run
        pending.set(false);
        lastRun = System.nanoTime();
        action.run();
    }
}
