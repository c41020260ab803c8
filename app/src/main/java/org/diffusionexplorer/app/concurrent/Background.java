package org.diffusionexplorer.app.concurrent;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyIntegerProperty;
import javafx.beans.property.ReadOnlyIntegerWrapper;
import javafx.concurrent.Task;
import javafx.concurrent.Worker;

/**
 * Runs the explorer's heavy work (datasets, feature maps, the backend) off the FX thread on a few
 * daemon threads, counts what is running for the status bar, and routes failures to one handler
 * that turns them into a message in the window.
 */
public final class Background {
    private final ExecutorService pool;
    private final ReadOnlyIntegerWrapper running = new ReadOnlyIntegerWrapper(0);
    private Consumer<Throwable> errorHandler = Throwable::printStackTrace;

    public Background(int threads) {
        AtomicInteger n = new AtomicInteger();
        pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "explorer-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY - 1); // the FX thread must win any contention
            return t;
        });
    }

    public void setErrorHandler(Consumer<Throwable> handler) {
        errorHandler = handler;
    }

    /** Number of tasks submitted and not yet finished (FX thread). */
    public ReadOnlyIntegerProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /**
     * Submits a task (call on the FX thread); {@code onSuccess} runs on the FX thread with its value,
     * a failure goes to the error handler, a cancellation is silent.
     */
    public <T> Task<T> submit(Task<T> task, Consumer<T> onSuccess) {
        running.set(running.get() + 1);
        task.stateProperty().addListener((o, was, now) -> {
            if (now == Worker.State.SUCCEEDED) {
                running.set(running.get() - 1);
                if (onSuccess != null) onSuccess.accept(task.getValue());
            } else if (now == Worker.State.FAILED) {
                running.set(running.get() - 1);
                errorHandler.accept(task.getException());
            } else if (now == Worker.State.CANCELLED) {
                running.set(running.get() - 1);
            }
        });
        pool.execute(task);
        return task;
    }

    /** A task from a lambda that may throw. */
    public static <T> Task<T> task(String title, Callable<T> work) {
        return new Task<>() {
            @Override
            protected T call() throws Exception {
                updateTitle(title);
                updateMessage(title);
                return work.call();
            }
        };
    }

    public void shutdown() {
        pool.shutdownNow();
    }
}
