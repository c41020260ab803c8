package org.diffusionexplorer.app.shell;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.diffusionexplorer.app.concurrent.NextPulse;

/**
 * Opt-in start-up timings for the packaging measurements. With {@code -Ddiffusion.startupLog=true}
 * the app prints {@code first-frame <ms>} on the first pulse after the window is shown and
 * {@code denoise-model-ready <ms>} when the Denoising pane has its first model open, and
 * {@code first-denoise-frame <ms>} when the Denoising pane shows its first frame (milliseconds since
 * the JVM started); {@code preload-model-open} and {@code preload-first-pass} say when the model
 * preload had the bundled model open and had run it once. With {@code =denoise} it also opens the
 * Denoising pane and presses Sample (its default settings) as soon as the bundled model is ready, so
 * the second figure needs no clicking. With {@code =panes} (the run that lists the classes for the
 * packaged app's class-data-sharing archive) it first shows every pane once, a pulse each, so that
 * the classes of panes made only when first shown are in the archive too, then does what =denoise does.
 * Off by default: nothing is printed or changed.
 */
public final class StartupLog {
    private static final String MODE = System.getProperty("diffusion.startupLog", "");
    private static final Set<String> DONE = ConcurrentHashMap.newKeySet();

    private StartupLog() {
    }

    /** Whether the Denoising pane should sample on its own once, as soon as it can. */
    public static boolean autoDenoise() {
        return MODE.equals("denoise") || MODE.equals("panes");
    }

    /** Prints {@code event <ms since JVM start>} the first time it is called for that event. */
    public static void mark(String event) {
        if ((MODE.equals("true") || autoDenoise()) && DONE.add(event)) {
            long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
            System.out.println(event + " " + ms);
            System.out.flush();
        }
    }

    /** True once (then false) when auto-denoising is on: the caller starts sampling. */
    public static boolean takeAutoSample() {
        return autoDenoise() && DONE.add("auto-sample");
    }

    /**
     * Call right after the stage is shown: marks the first rendered pulse and, with =denoise, selects
     * the pane with the key {@code denoisingKey} (the caller knows which one samples).
     */
    public static void windowShown(ExplorerShell shell, String denoisingKey) {
        if (!MODE.equals("true") && !autoDenoise()) return;
        NextPulse.run(() -> {
            mark("first-frame");
            List<String> first = MODE.equals("panes") ? shell.panes().stream().map(PaneSlot::key).toList() : List.of();
            showInTurn(shell, first, () -> {
                if (autoDenoise()) shell.select(denoisingKey);
            });
        });
    }

    /** Shows the panes with these keys one pulse each, then runs {@code then}. */
    private static void showInTurn(ExplorerShell shell, List<String> keys, Runnable then) {
        if (keys.isEmpty()) {
            then.run();
            return;
        }
        shell.select(keys.get(0));
        NextPulse.run(() -> showInTurn(shell, keys.subList(1, keys.size()), then));
    }
}
