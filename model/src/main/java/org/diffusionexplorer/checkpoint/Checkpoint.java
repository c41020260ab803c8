package org.diffusionexplorer.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.NpyFormatException;
import org.diffusionexplorer.io.Npz;

/**
 * Everything needed to continue a training run exactly: the weights, one EMA copy per rate,
 * the optimizer state and a JSON {@code meta} object (step, run config, RNG state...).
 * Stored as one .npz: {@code meta}, {@code model/<name>}, {@code ema/<rate>/<name>}, {@code opt/<name>},
 * so numpy can open it too.
 */
public record Checkpoint(ObjectNode meta, Map<String, NpyArray> model, Map<String, Map<String, NpyArray>> ema,
        Map<String, NpyArray> optimizer) {

    public static final String FORMAT = "diffusion-explorer-checkpoint";
    public static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    public Checkpoint {
        if (!meta.has("step")) throw new IllegalArgumentException("checkpoint meta needs a 'step'");
        meta = meta.deepCopy().put("format", FORMAT).put("version", VERSION);
        model = Map.copyOf(model);
        Map<String, Map<String, NpyArray>> e = new TreeMap<>();
        ema.forEach((rate, w) -> e.put(rate, Map.copyOf(w)));
        ema = e;
        optimizer = Map.copyOf(optimizer);
    }

    public static ObjectNode newMeta(long step) {
        return JSON.createObjectNode().put("step", step);
    }

    public long step() {
        return meta.get("step").asLong();
    }

    public void write(Path file) throws IOException {
        Map<String, NpyArray> all = new LinkedHashMap<>();
        all.put("meta", NpyArray.ofBytes(meta.toString().getBytes(StandardCharsets.UTF_8)));
        model.forEach((k, v) -> all.put("model/" + k, v));
        ema.forEach((rate, w) -> w.forEach((k, v) -> all.put("ema/" + rate + "/" + k, v)));
        optimizer.forEach((k, v) -> all.put("opt/" + k, v));
        Npz.writeAtomically(file, all);
    }

    /** Reads and checks a checkpoint; damaged or foreign files fail with a message naming the file. */
    public static Checkpoint read(Path file) throws IOException {
        String name = file.getFileName().toString();
        Map<String, NpyArray> all;
        try {
            all = Npz.read(file);
        } catch (NpyFormatException e) {
            throw new CheckpointException(name + " is damaged or not a checkpoint: " + e.getMessage(), e);
        }
        NpyArray metaBytes = all.get("meta");
        if (metaBytes == null) {
            boolean weights = all.keySet().stream().anyMatch(k -> !k.contains("/"));
            throw new CheckpointException(name + " is not a Diffusion Explorer checkpoint"
                    + (weights ? " (it looks like a plain weights .npz: use import-weights)" : ""));
        }
        ObjectNode meta;
        try {
            JsonNode n = JSON.readTree(new String(metaBytes.toBytes(), StandardCharsets.UTF_8));
            if (!(n instanceof ObjectNode) || !FORMAT.equals(n.path("format").asText())) throw new CheckpointException(name + " has a foreign meta record");
            meta = (ObjectNode) n;
        } catch (JsonProcessingException | NpyFormatException e) {
            throw new CheckpointException(name + " has an unreadable meta record", e);
        }
        if (meta.path("version").asInt() > VERSION) {
            throw new CheckpointException(name + " was written by a newer version (format " + meta.path("version").asInt() + ")");
        }
        Map<String, NpyArray> model = new LinkedHashMap<>(), opt = new LinkedHashMap<>();
        Map<String, Map<String, NpyArray>> ema = new TreeMap<>();
        for (Map.Entry<String, NpyArray> e : all.entrySet()) {
            String k = e.getKey();
            if (k.startsWith("model/")) {
                model.put(k.substring(6), e.getValue());
            } else if (k.startsWith("opt/")) {
                opt.put(k.substring(4), e.getValue());
            } else if (k.startsWith("ema/") && k.indexOf('/', 4) > 0) {
                int slash = k.indexOf('/', 4);
                ema.computeIfAbsent(k.substring(4, slash), r -> new LinkedHashMap<>()).put(k.substring(slash + 1), e.getValue());
            }
        }
        if (model.isEmpty()) throw new CheckpointException(name + " holds no model weights");
        return new Checkpoint(meta, model, ema, opt);
    }
}
