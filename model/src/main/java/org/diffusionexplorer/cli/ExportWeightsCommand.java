package org.diffusionexplorer.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.train.RunOpening;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Writes weights under the reference's state_dict names: a trained run's (EMA by default), or a
 * freshly initialised model of a config (seeded), so the original PyTorch code can load either.
 */
@Command(name = "export-weights", mixinStandardHelpOptions = true,
        description = {"Write a state_dict .npz with the reference's names: from a run or checkpoint (--run/--checkpoint),",
            "or a freshly initialised UNet (--config, --seed)."})
public final class ExportWeightsCommand implements Callable<Integer> {

    static final class Source {
        @Option(names = "--run", paramLabel = "RUN_DIR", description = "A run folder: its newest good checkpoint.")
        Path run;

        @Option(names = "--checkpoint", paramLabel = "FILE", description = "A checkpoint file.")
        Path checkpoint;

        @Option(names = "--config", paramLabel = "C.json", description = "Fresh model: a UNet config or a run config.")
        Path config;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    @Option(names = "--ema", paramLabel = "RATE|model", description = "With --run/--checkpoint: which weights (default: the first EMA).")
    String ema;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "With --config: initialisation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "W.npz", description = "Where to write the weights.")
    Path out;

    @Override
    public Integer call() throws Exception {
        Map<String, NpyArray> state;
        String what;
        if (source.config != null) {
            if (ema != null) throw new InvalidConfigException("ema", "applies to --run or --checkpoint only");
            UNetConfig cfg = freshConfig(source.config);
            try (UNetModel model = UNetModel.create(cfg, seed)) {
                state = model.exportStateDict();
                what = "a fresh model (seed " + seed + ", " + model.parameterCount() + " parameters)";
            }
        } else {
            RunWeights w = source.run != null ? RunOpening.newestWeights(source.run, ema, s -> System.err.println("warning: " + s))
                    : RunWeights.fromCheckpoint(source.checkpoint, ema);
            state = w.weights();
            what = w.weightsName() + " of step " + w.step() + " of " + w.source();
        }
        Npz.writeAtomically(out, state);
        System.out.println("wrote " + out + ": " + state.size() + " tensors, " + what);
        return 0;
    }

    /** A run config (its model part), else a UNet config as unet-forward reads it (UNetConfig JSON or golden-style unet_kwargs). */
    static UNetConfig freshConfig(Path file) throws java.io.IOException {
        ModelFiles.requireFile(file, "config");
        var root = org.diffusionexplorer.unet.ConfigJson.parseObject(java.nio.file.Files.readString(file));
        if (root.has("model") || root.has("num_channels")) return RunConfig.fromJson(root).model();
        return ModelFiles.unetConfig(root);
    }
}
