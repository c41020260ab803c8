package org.diffusionexplorer.app.shell;

import java.util.List;

/**
 * What the numeric backend runs on, in words for the status bar: {@code notice} is a one-line
 * message for the user (e.g. CUDA was asked for but no usable GPU was found), or null;
 * {@code details} are the lines {@code diffusion info} prints (for a tooltip).
 */
public record BackendInfo(String backend, String device, int threads, boolean oneDnn, String notice, List<String> details) {
    public BackendInfo(String backend, String device, int threads, boolean oneDnn) {
        this(backend, device, threads, oneDnn, null, List.of());
    }

    public BackendInfo {
        details = details == null ? List.of() : List.copyOf(details);
    }

    public String summary() {
        return backend + " on " + device + (threads > 0 ? ", " + threads + " thread" + (threads == 1 ? "" : "s") : "")
                + (oneDnn ? ", oneDNN" : "");
    }
}
