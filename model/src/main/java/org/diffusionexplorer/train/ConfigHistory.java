package org.diffusionexplorer.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.diffusionexplorer.io.AtomicFiles;

/**
 * config_history.json of a run: every change a resume made to config.json, oldest first, as
 * {"step": where the run stood, "time": ISO-8601 UTC, "changes": ["training.lr: 1.0E-4 -> 2.0E-5"]}.
 * config.json always holds the settings in force; this file says since when.
 */
public final class ConfigHistory {
    public static final String FILE = "config_history.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** a history this large is damaged or hostile, not a run's: it is started anew rather than read */
    private static final long MAX_BYTES = 1 << 20;

    private ConfigHistory() {}

    static void record(RunFolder folder, long step, List<String> changes) throws IOException {
        Path file = folder.dir().resolve(FILE);
        ArrayNode all = read(file);
        ObjectNode e = all.addObject();
        e.put("step", step);
        e.put("time", Instant.now().toString());
        ArrayNode c = e.putArray("changes");
        for (String d : changes) c.add(d.replace(" vs ", " -> ")); // differences() says "old vs new"
        AtomicFiles.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(all) + "\n");
    }

    /**
     * True when the history explains {@code difference} ("key: now vs then", from
     * {@code configJson.differences(checkpointConfig)}) between config.json and a checkpoint of step
     * {@code checkpointStep}: a change of that key away from the checkpoint's value was recorded at
     * or after that step, and the last recorded change of the key set today's value.
     */
    static boolean explains(Path runDir, String difference, long checkpointStep) {
        int colon = difference.indexOf(": ");
        int vs = difference.lastIndexOf(" vs ");
        if (colon < 0 || vs < colon) return false;
        String key = difference.substring(0, colon), now = difference.substring(colon + 2, vs), then = difference.substring(vs + 4);
        boolean leftThen = false;
        String last = null;
        for (JsonNode e : read(runDir.resolve(FILE))) {
            for (JsonNode c : e.path("changes")) {
                String s = c.asText();
                int arrow = s.lastIndexOf(" -> ");
                if (!s.startsWith(key + ": ") || arrow < 0) continue;
                String from = s.substring(key.length() + 2, arrow);
                if (e.path("step").asLong(-1) >= checkpointStep && from.equals(then)) leftThen = true;
                last = s.substring(arrow + 4);
            }
        }
        return leftThen && now.equals(last);
    }

    /** The entries so far; an absent, unreadable or damaged file counts as none. */
    public static ArrayNode read(Path file) {
        try {
            if (Files.isRegularFile(file) && Files.size(file) <= MAX_BYTES) {
                JsonNode n = JSON.readTree(file.toFile());
                if (n != null && n.isArray()) return (ArrayNode) n;
            }
        } catch (IOException e) {
            // a damaged history must not stop a run: the new entry starts a fresh one
        }
        return JSON.createArrayNode();
    }
}
