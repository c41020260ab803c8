package org.diffusionexplorer.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What happens when the JVM exits through a normal end, SIGINT or SIGTERM (kill -9 runs nothing:
 * those leftovers are removed at the next start, see {@link AtomicFiles#removeStaleTemps}).
 *
 * <p>One shutdown hook, in a fixed order: first the registered finishers complete their work (a
 * training run writing its last checkpoint and printing where it stopped), then every temporary
 * file still registered is deleted. Separate hooks would run concurrently, and a hook deleting
 * temporary files could then remove the checkpoint that the training hook is still writing.
 */
public final class ExitCleanup {
    private static final Set<Path> temps = new LinkedHashSet<>();
    private static final List<Runnable> finishers = new ArrayList<>();
    private static boolean hooked, exiting;

    private ExitCleanup() {}

    /**
     * Creates {@code file} empty and registers it for deletion on exit. Refused once the exit has
     * reached the deletion, so no temporary file can appear after it.
     */
    static synchronized void createTemp(Path file) throws IOException {
        if (exiting) throw new IOException("the program is exiting");
        hook();
        Files.createFile(file);
        temps.add(file);
    }

    /** The temporary file was renamed or deleted by its writer. */
    static synchronized void forget(Path file) {
        temps.remove(file);
    }

    /**
     * Runs {@code finisher} on exit before the temporary files are deleted; the returned handle
     * unregisters it (call it once the work it would finish has ended by itself).
     */
    public static synchronized Runnable beforeDeletingTemps(Runnable finisher) {
        hook();
        finishers.add(finisher);
        return () -> {
            synchronized (ExitCleanup.class) {
                finishers.remove(finisher);
            }
        };
    }

    private static void hook() {
        if (hooked) return;
        hooked = true;
        Runtime.getRuntime().addShutdownHook(new Thread(ExitCleanup::onExit, "exit-cleanup"));
    }

    private static void onExit() {
        List<Runnable> todo;
        synchronized (ExitCleanup.class) {
            todo = new ArrayList<>(finishers);
        }
        // outside the lock: a finisher writes files, and creating a temporary file takes the lock
        for (Runnable r : todo) {
            try {
                r.run();
            } catch (RuntimeException e) {
                System.err.println("error while stopping: " + Failures.describe(e));
            }
        }
        synchronized (ExitCleanup.class) {
            exiting = true;
            for (Path p : temps) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // the exit goes on: a leftover is removed at the next start
                }
            }
            temps.clear();
        }
    }
}
