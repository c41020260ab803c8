package org.diffusionexplorer.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.CheckpointStore;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.torch.TorchStateDict;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * A checkpoint the reference wrote (improved-diffusion's model&lt;step&gt;.pt or
 * ema_&lt;rate&gt;_&lt;step&gt;.pt, a bare state_dict) opened where this project's checkpoints open. A
 * .pt does not record the model it belongs to, so the settings come from a file beside it: flags.txt
 * (the flags it was trained with, as pasted from the command line) or config.json (a run config, or
 * the flags as JSON). The file name gives the step and which weights they are.
 */
public final class ReferenceCheckpoint {
    private ReferenceCheckpoint() {}

    public static final String FLAGS_FILE = "flags.txt";
    public static final String CONFIG_FILE = RunConfig.FILE;
    private static final Pattern EMA = Pattern.compile("ema_([0-9.]+)_(\\d+)\\.pt"), MODEL = Pattern.compile("model(\\d+)\\.pt");

    /** {@code ema} null or "model": a .pt holds one set of weights, its name says which. */
    public static RunWeights read(Path file, String ema) throws IOException {
        String name = file.getFileName().toString();
        if (ema != null && !ema.isBlank() && !ema.trim().equalsIgnoreCase(RunWeights.MODEL)) {
            throw new InvalidConfigException("ema", name + " holds one set of weights; open the ema_<rate>_<step>.pt file you want instead");
        }
        // the file first: a damaged or legacy .pt is the thing to fix before its settings matter
        Map<String, NpyArray> w = TorchStateDict.read(file);
        RunConfig cfg = configBeside(file);
        String which = RunWeights.MODEL;
        long step = 0;
        Matcher e = EMA.matcher(name), m = MODEL.matcher(name);
        if (e.matches()) {
            which = "ema " + e.group(1);
            step = Long.parseLong(e.group(2));
        } else if (m.matches()) {
            step = Long.parseLong(m.group(1));
        }
        ObjectNode meta = Checkpoint.newMeta(step);
        meta.set("config", cfg.toJsonNode());
        meta.put("imported_from", name);
        Checkpoint c = new Checkpoint(meta, w, Map.of(), Map.of());
        return new RunWeights(cfg, c, which, c.model(), file);
    }

    /**
     * True for a folder of the reference's checkpoints (its OPENAI_LOGDIR, copied or synced): .pt
     * files named as improved-diffusion names them, and no checkpoints/ folder of this project's runs.
     */
    public static boolean isReferenceRun(Path dir) throws IOException {
        if (!Files.isDirectory(dir) || Files.isDirectory(CheckpointStore.folderOf(dir))) return false;
        return !checkpointsIn(dir).isEmpty();
    }

    private static java.util.List<Path> checkpointsIn(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(f -> EMA.matcher(f.getFileName().toString()).matches() || MODEL.matcher(f.getFileName().toString()).matches())
                    .filter(Files::isRegularFile).toList();
        }
    }

    /**
     * The newest checkpoint of a reference run folder, as {@code train.RunOpening.newestWeights} picks a run's:
     * the highest step; there, the EMA (the first rate in name order) unless {@code ema} asks for
     * "model" or another rate.
     */
    public static RunWeights newestIn(Path dir, String ema) throws IOException {
        String want = ema == null || ema.isBlank() ? null : ema.trim();
        Path best = null;
        long bestStep = -1;
        java.util.Set<String> rates = new java.util.TreeSet<>();
        for (Path f : checkpointsIn(dir).stream().sorted().toList()) {
            String n = f.getFileName().toString();
            Matcher e = EMA.matcher(n), m = MODEL.matcher(n);
            boolean isEma = e.matches();
            if (!isEma && !m.matches()) continue;
            long step = Long.parseLong(isEma ? e.group(2) : m.group(1));
            if (isEma) rates.add(e.group(1));
            boolean wanted = want == null || (want.equalsIgnoreCase(RunWeights.MODEL) ? !isEma : isEma && sameRate(e.group(1), want));
            boolean preferred = step > bestStep || (step == bestStep && isEma && want == null && !EMA.matcher(best.getFileName().toString()).matches());
            if (wanted && preferred) {
                best = f;
                bestStep = step;
            }
        }
        if (best == null) {
            throw new InvalidConfigException("ema", dir + " has no " + (RunWeights.MODEL.equalsIgnoreCase(want) ? "model<step>.pt"
                    : "ema_" + want + "_<step>.pt") + (rates.isEmpty() ? "" : " (its EMA rates: " + String.join(", ", rates) + ")"));
        }
        return read(best, null);
    }

    private static boolean sameRate(String fileRate, String asked) {
        try {
            return Double.parseDouble(fileRate) == Double.parseDouble(asked);
        } catch (NumberFormatException ex) {
            throw new InvalidConfigException("ema", "must be a rate like 0.9999 or 'model', got '" + asked + "'");
        }
    }

    static RunConfig configBeside(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path flags = dir.resolve(FLAGS_FILE), json = dir.resolve(CONFIG_FILE);
        if (Files.isRegularFile(flags)) {
            try {
                return RunConfig.fromFlags(Files.readString(flags));
            } catch (InvalidConfigException ex) {
                throw new RunException(flags + ": " + ex.getMessage());
            }
        }
        if (Files.isRegularFile(json)) return RunConfig.read(json);
        throw new RunException(file.getFileName() + " is a PyTorch state_dict that does not say which model it is: write the flags it was"
                + " trained with (e.g. --image_size 32 --num_channels 128 --num_res_blocks 3 --learn_sigma True ...) into " + FLAGS_FILE
                + " beside it, or make a model folder with import-weights --flags");
    }
}
