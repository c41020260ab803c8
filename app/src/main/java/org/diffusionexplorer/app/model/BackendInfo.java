package org.diffusionexplorer.app.model;

/** What the numeric backend runs on, in words for the status bar. */
public record BackendInfo(String backend, String device, int threads, boolean oneDnn) {
    public String summary() {
        return backend + " on " + device + ", " + threads + " thread" + (threads == 1 ? "" : "s")
                + (oneDnn ? ", oneDNN" : "");
    }
}
