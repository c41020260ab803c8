package org.diffusionexplorer.app.training;

import java.nio.file.Path;
import org.diffusionexplorer.train.RunLock;

/** Child process of {@link OpenRunOwnedElsewhereTest}: owns a run folder as a training process does, until killed. */
public final class HoldsRunLock {
    private HoldsRunLock() {}

    public static void main(String[] args) throws Exception {
        try (RunLock lock = RunLock.acquire(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(120_000);
        }
    }
}
