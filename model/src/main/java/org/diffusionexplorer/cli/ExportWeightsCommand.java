package org.diffusionexplorer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes a freshly initialised UNet's weights with the reference's state_dict names. */
@Command(name = "export-weights", mixinStandardHelpOptions = true,
        description = "Initialise a UNet like PyTorch does (seeded) and write its state dict as .npz (reference names).")
public final class ExportWeightsCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "C.json",
            description = "UNet configuration (UNetConfig JSON, or a reference-style file with image_size + unet_kwargs).")
    Path config;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N", description = "Initialisation seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "W.npz", description = "Where to write the weights.")
    Path out;

    @Override
    public Integer call() throws Exception {
        UNetConfig cfg = ModelFiles.readConfig(config);
        try (UNetModel model = UNetModel.create(cfg, seed)) {
            var state = model.exportStateDict();
            ModelFiles.writeAtomically(out, o -> Npz.write(o, state));
            System.out.println("wrote " + out + ": " + state.size() + " tensors, " + model.parameterCount() + " parameters");
        }
        return 0;
    }
}
