package org.diffusionexplorer.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.StateDicts;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.train.RunFolder;
import org.diffusionexplorer.unet.UNetModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A reference state_dict (improved-diffusion's model*.pt / ema_*.pt as torch.save wrote it, or the
 * same saved with numpy as .npz; names unchanged) becomes a checkpoint that sample, info, the
 * explorer and train --resume understand. The model comes from a run config or the reference's
 * own flags, as JSON or as the command-line string the run was started with.
 */
@Command(name = "import-weights", mixinStandardHelpOptions = true,
        description = {"Turn a reference state_dict (.pt or .npz) into a run folder (or a checkpoint file if --out ends in .npz).",
            "A .pt is read without Python and without running its pickle; only tensors are accepted."})
public final class ImportWeightsCommand implements Callable<Integer> {

    @Option(names = "--weights", required = true, paramLabel = "W.pt|W.npz", description = "Weights with the reference's names (PyTorch .pt or numpy .npz).")
    Path weights;

    @ArgGroup(exclusive = true, multiplicity = "1")
    ModelSettings settings;

    /** Which model the weights belong to: one of the two. */
    static final class ModelSettings {
        @Option(names = "--config", paramLabel = "C.json",
                description = "Run config JSON, or the reference's flags as JSON ({\"num_channels\": 128, \"learn_sigma\": true, ...}).")
        Path config;

        @Option(names = "--flags", paramLabel = "\"--image_size 32 ...\"",
                description = "The reference's flags as given to image_train.py, in one quoted string (e.g. \"--image_size 32 --num_channels 128 --num_res_blocks 3 --learn_sigma True --dropout 0.3 --diffusion_steps 4000 --noise_schedule cosine\").")
        String flags;

        RunConfig read() throws java.io.IOException {
            return config != null ? RunConfig.read(config) : RunConfig.fromFlags(flags);
        }
    }

    @Option(names = "--step", defaultValue = "0", paramLabel = "N", description = "Step number to record (default ${DEFAULT-VALUE}).")
    long step;

    @Option(names = "--out", required = true, paramLabel = "RUN_DIR|FILE.npz", description = "New run folder, or a checkpoint file.")
    Path out;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(weights)) throw new RunException("no such weights file: " + weights);
        RunConfig cfg = settings.read();
        Map<String, NpyArray> w = StateDicts.read(weights);
        Map<String, NpyArray> checked;
        long params;
        try (UNetModel m = UNetModel.create(cfg.model(), 0)) {
            m.loadStateDict(w); // lists every missing, unexpected or misshaped tensor
            checked = m.exportStateDict();
            params = m.parameterCount();
        }
        ObjectNode meta = Checkpoint.newMeta(step);
        meta.set("config", cfg.toJsonNode());
        meta.put("imported_from", weights.getFileName().toString());
        Checkpoint c = new Checkpoint(meta, checked, Map.of(), Map.of());
        Path written;
        if (out.getFileName().toString().endsWith(".npz")) {
            c.write(out);
            written = out;
        } else {
            RunFolder f = new RunFolder(out);
            if (!f.isEmpty()) throw new RunException(out + " is not empty: choose a new folder");
            Files.createDirectories(out);
            AtomicFiles.writeString(f.config(), cfg.toJson());
            written = f.checkpoints(cfg.training().keepCheckpoints()).save(c);
        }
        System.out.println("imported " + checked.size() + " tensors (" + String.format("%,d", params) + " parameters) from " + weights
                + " -> " + written);
        return 0;
    }
}
