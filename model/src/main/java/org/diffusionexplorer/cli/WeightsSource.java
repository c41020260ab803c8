package org.diffusionexplorer.cli;

import java.io.IOException;
import java.nio.file.Path;
import org.diffusionexplorer.models.BundledModels;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.train.RunOpening;
import org.diffusionexplorer.unet.InvalidConfigException;
import picocli.CommandLine.Option;

/** Where a command's trained weights come from: a run folder, a checkpoint file or a model folder / bundled model. */
public final class WeightsSource {
    @Option(names = "--run", paramLabel = "RUN_DIR", description = "Run folder (its newest good checkpoint).")
    Path run;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A checkpoint file (.ckpt.npz), or a reference .pt with its flags in flags.txt beside it.")
    Path checkpoint;

    @Option(names = "--model", paramLabel = "NAME|DIR", description = "A bundled model (e.g. digits) or a model folder.")
    String model;

    /** What was given (the run folder, the checkpoint file or the model's name or folder), for reports. */
    String given() {
        return String.valueOf(run != null ? run : checkpoint != null ? checkpoint : model);
    }

    /** The chosen weights; {@code ema} picks among a run's or checkpoint's sets (a model folder holds one). */
    public RunWeights load(String ema) throws IOException {
        if (run != null) return RunOpening.newestWeights(run, ema, s -> System.err.println("warning: " + s));
        if (checkpoint != null) return RunWeights.fromCheckpoint(checkpoint, ema);
        if (ema != null) throw new InvalidConfigException("ema", "applies to --run or --checkpoint; a model folder holds one set of weights");
        return BundledModels.load(model);
    }
}
