package org.diffusionexplorer.app;

/** Entry point for a plain class-path jar: a main class that is not an Application subclass. */
public final class Launcher {
    private Launcher() {
    }

    public static void main(String[] args) {
        ExplorerApp.main(args);
    }
}
