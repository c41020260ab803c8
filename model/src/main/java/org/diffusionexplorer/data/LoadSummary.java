package org.diffusionexplorer.data;

import java.util.ArrayList;
import java.util.List;

/**
 * What opening (and later reading) a dataset found: images usable, files skipped and the first
 * few reasons. Thread-safe: the prefetch thread may add skips found while decoding.
 */
public final class LoadSummary {
    /** How many skip reasons are kept; the count keeps growing beyond it. */
    public static final int MAX_REASONS = 5;

    private final String source;
    private int loaded;
    private int skipped;
    private final List<String> reasons = new ArrayList<>();

    public LoadSummary(String source) {
        this.source = source;
    }

    public String source() {
        return source;
    }

    public synchronized int loaded() {
        return loaded;
    }

    public synchronized int skipped() {
        return skipped;
    }

    /** "file: reason" for the first {@value #MAX_REASONS} skipped files. */
    public synchronized List<String> reasons() {
        return List.copyOf(reasons);
    }

    synchronized void setLoaded(int n) {
        loaded = n;
    }

    synchronized void skip(String what, String reason) {
        skipped++;
        if (reasons.size() < MAX_REASONS) reasons.add(what + ": " + reason);
    }

    /** A file that passed the header check but failed to decode later: it no longer counts as loaded. */
    synchronized void demote(String what, String reason) {
        loaded--;
        skip(what, reason);
    }

    /** One line, then the reasons indented, e.g. for the CLI or a log. */
    @Override
    public synchronized String toString() {
        StringBuilder sb = new StringBuilder(source + ": " + loaded + " images, " + skipped + " skipped");
        for (String r : reasons) sb.append("\n  skipped ").append(r);
        if (skipped > reasons.size()) sb.append("\n  ... and ").append(skipped - reasons.size()).append(" more");
        return sb.toString();
    }
}
