package org.diffusionexplorer.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;

/**
 * A trained model without its training state, small enough to ship: config.json, weights.npz (one
 * state dict with the reference's names, so numpy/PyTorch can read it) and model.json (step, which
 * weights, where they came from). The bundled assets/models/digits is one.
 */
public record ModelFolder(Path dir) {
    public static final String WEIGHTS = "weights.npz";
    public static final String INFO = "model.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What model.json records. */
    public record Info(long step, String weightsName, String sourceRun) {}

    public Path config() {
        return dir.resolve(RunConfig.FILE);
    }

    public Path weights() {
        return dir.resolve(WEIGHTS);
    }

    public Path info() {
        return dir.resolve(INFO);
    }

    public Info readInfo() throws IOException {
        if (!Files.isRegularFile(info())) return new Info(0, "model", "");
        JsonNode n;
        try {
            n = JSON.readTree(Files.readString(info()));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new RunException(info() + " is not valid JSON: " + e.getOriginalMessage());
        }
        return new Info(n.path("step").asLong(0), n.path("weights").asText("model"), n.path("source_run").asText(""));
    }

    /** Writes config, weights and info, each atomically; the folder may exist (files are replaced). */
    public void write(RunConfig cfg, Map<String, NpyArray> weights, Info info) throws IOException {
        Files.createDirectories(dir);
        AtomicFiles.writeString(config(), cfg.toJson() + "\n");
        Npz.writeAtomically(weights(), weights);
        ObjectNode o = JSON.createObjectNode().put("step", info.step()).put("weights", info.weightsName())
                .put("source_run", info.sourceRun());
        AtomicFiles.writeString(info(), o.toPrettyString() + "\n");
    }
}
