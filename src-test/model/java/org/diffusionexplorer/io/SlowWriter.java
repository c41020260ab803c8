package org.diffusionexplorer.io;

import java.nio.file.Path;

/** Child process of {@link TempFilesOnExitTest}: starts an atomic write and stays inside it until killed. */
public final class SlowWriter {
    private SlowWriter() {}

    public static void main(String[] args) throws Exception {
        AtomicFiles.write(Path.of(args[0]), out -> {
            out.write(new byte[1 << 20]);
            out.flush();
            System.out.println("writing");
            System.out.flush();
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }
}
