package org.diffusionexplorer.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.StateDicts;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.config.TrainingSettings;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;

/**
 * One set of weights out of a checkpoint file, a model folder or (through
 * {@code train.RunOpening.newestWeights}) a run folder, with the run's config: the raw model
 * weights or one EMA. By default the first EMA (what the reference samples from), or the model when
 * the checkpoint has none (imported weights).
 *
 * @param weightsName "model" or "ema 0.9999"
 */
public record RunWeights(RunConfig config, Checkpoint checkpoint, String weightsName, Map<String, NpyArray> weights, Path source) {

    public static final String MODEL = "model";

    /** A checkpoint file of this project, or a PyTorch .pt of the reference with its flags beside it ({@link ReferenceCheckpoint}). */
    public static RunWeights fromCheckpoint(Path file, String ema) throws IOException {
        if (!Files.isRegularFile(file)) throw new RunException("no such checkpoint file: " + file);
        if (StateDicts.isTorch(file)) return ReferenceCheckpoint.read(file, ema);
        Checkpoint c = Checkpoint.read(file);
        return select(configOf(c, file.getFileName().toString()), c, ema, file);
    }

    /**
     * A model folder (as bundled in assets/models/): config.json (a RunConfig), weights.npz (one
     * state dict, reference names) and model.json (step and which weights they were).
     */
    public static RunWeights fromModelDir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) throw new RunException("no such model folder: " + dir);
        ModelFolder f = new ModelFolder(dir);
        if (!Files.isRegularFile(f.weights())) throw new RunException(dir + " is not a model folder (no " + ModelFolder.WEIGHTS + ")");
        RunConfig cfg = RunConfig.read(f.config());
        ModelFolder.Info info = f.readInfo();
        Map<String, NpyArray> w = Npz.read(f.weights());
        Checkpoint c = new Checkpoint(Checkpoint.newMeta(info.step()), w, Map.of(), Map.of());
        return new RunWeights(cfg, c, info.weightsName(), c.model(), f.weights());
    }

    static RunConfig configOf(Checkpoint c, String name) {
        JsonNode n = c.meta().get("config");
        if (n == null || !n.isObject()) throw new RunException(name + " records no run config");
        return RunConfig.fromJson((ObjectNode) n);
    }

    /** "0.999" / "model" / null (default) -> the weights. */
    public static RunWeights select(RunConfig cfg, Checkpoint c, String ema, Path source) {
        if (ema == null || ema.isBlank()) {
            if (c.ema().isEmpty()) return new RunWeights(cfg, c, MODEL, c.model(), source);
            String first = cfg.training().emaNames().stream().filter(c.ema()::containsKey).findFirst()
                    .orElse(c.ema().keySet().iterator().next());
            return new RunWeights(cfg, c, "ema " + first, c.ema().get(first), source);
        }
        if (ema.trim().equalsIgnoreCase(MODEL)) return new RunWeights(cfg, c, MODEL, c.model(), source);
        String name;
        try {
            name = TrainingSettings.rateName(Double.parseDouble(ema.trim()));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("ema", "must be a rate like 0.9999 or 'model', got '" + ema + "'");
        }
        Map<String, NpyArray> w = c.ema().get(name);
        if (w == null) {
            List<String> have = new ArrayList<>(c.ema().keySet());
            throw new InvalidConfigException("ema", "no EMA with rate " + name + " in " + source.getFileName()
                    + (have.isEmpty() ? " (it holds model weights only: use --ema model)" : " (it has " + String.join(", ", have) + ")"));
        }
        return new RunWeights(cfg, c, "ema " + name, w, source);
    }

    /** A model (evaluation use) holding these weights. */
    public UNetModel newModel() {
        UNetModel m = UNetModel.withWeights(config.model(), weights);
        m.usePlanStore(BundledModels.planStore());
        return m;
    }

    public long step() {
        return checkpoint.step();
    }
}
