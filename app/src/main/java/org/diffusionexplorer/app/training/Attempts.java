package org.diffusionexplorer.app.training;

import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.MessageBar;

/**
 * The training pane's slow work (reading configs and data, creating and opening runs) on the
 * background pool; a failure becomes a message in the window, never a stack trace or a button that
 * stays disabled.
 */
final class Attempts {
    private final AppContext ctx;
    /** whose messages these are (the message bar hides them when the owner says so) */
    private final Object owner;

    Attempts(AppContext ctx, Object owner) {
        this.ctx = ctx;
        this.owner = owner;
    }

    <T> void run(String title, Callable<T> work, Consumer<T> done) {
        run(title, work, done, () -> { });
    }

    /** {@code done} on the FX thread with the value; on a failure its message, then {@code failed}. */
    <T> void run(String title, Callable<T> work, Consumer<T> done, Runnable failed) {
        ctx.background().submit(Background.task(title, () -> {
            try {
                return new Attempt<T>(work.call(), null);
            } catch (Exception e) {
                return new Attempt<T>(null, MessageBar.describe(e));
            }
        }), a -> {
            if (a.error() == null) {
                done.accept(a.value());
            } else {
                ctx.messages().showError(owner, a.error());
                failed.run();
            }
        });
    }

    private record Attempt<T>(T value, String error) {}
}
