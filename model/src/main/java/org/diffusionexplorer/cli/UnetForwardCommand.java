package org.diffusionexplorer.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.diffusionexplorer.checkpoint.StateDicts;
import org.diffusionexplorer.io.Npy;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the UNet once in evaluation mode (no dropout) on arrays from .npy files. */
@Command(name = "unet-forward", mixinStandardHelpOptions = true,
        description = "Apply a UNet with given weights to x and t (evaluation mode) and write the output as .npy.")
public final class UnetForwardCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, paramLabel = "C.json",
            description = "UNet configuration (UNetConfig JSON, or a reference-style file with image_size + unet_kwargs).")
    Path config;

    @Option(names = "--weights", required = true, paramLabel = "W.npz|W.pt",
            description = "State dict with the reference's names: numpy .npz or PyTorch .pt (torch.save, read without running it).")
    Path weights;

    @Option(names = "--x", required = true, paramLabel = "X.npy", description = "Inputs, float32 [N, C, H, W].")
    Path x;

    @Option(names = "--t", required = true, paramLabel = "T.npy",
            description = "Timesteps as fed to the model, int64 or float [N].")
    Path t;

    @Option(names = "--y", paramLabel = "Y.npy", description = "Class labels, int64 [N] (class-conditional models only).")
    Path y;

    @Option(names = "--out", required = true, paramLabel = "OUT.npy", description = "Where to write the float32 output.")
    Path out;

    @Override
    public Integer call() throws Exception {
        UNetConfig cfg = ModelFiles.readConfig(config);
        ModelFiles.requireFile(weights, "weights");
        NpyArray xa = ModelFiles.readNpy(x, "x");
        NpyArray ta = ModelFiles.readNpy(t, "t");
        if (xa.dtype() != NpyArray.DType.FLOAT32 && xa.dtype() != NpyArray.DType.FLOAT64) {
            throw new IllegalArgumentException("x must be float32, got " + xa.dtype().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (ta.dtype() == NpyArray.DType.BOOL || ta.dtype() == NpyArray.DType.UINT8) {
            throw new IllegalArgumentException("t must be int64 or float, got " + ta.dtype().name().toLowerCase(java.util.Locale.ROOT));
        }
        INDArray labels = null;
        if (y != null) {
            NpyArray ya = ModelFiles.readNpy(y, "y");
            if (ya.dtype() != NpyArray.DType.INT64 && ya.dtype() != NpyArray.DType.INT32) {
                throw new IllegalArgumentException("y must hold integer labels (int64), got " + ya.dtype().name().toLowerCase(java.util.Locale.ROOT));
            }
            labels = ya.toINDArray();
        }
        try (UNetModel model = UNetModel.create(cfg, 0)) {
            model.loadStateDict(StateDicts.read(weights));
            INDArray xt = xa.toINDArray().castTo(DataType.FLOAT);
            INDArray tt = ta.dtype() == NpyArray.DType.FLOAT32 || ta.dtype() == NpyArray.DType.FLOAT64
                    ? ta.toINDArray().castTo(DataType.FLOAT) : ta.toINDArray();
            INDArray result = model.forward(xt, tt, labels);
            NpyArray res = NpyArray.of(result.castTo(DataType.FLOAT));
            ModelFiles.writeAtomically(out, o -> Npy.write(o, res));
            System.out.println("wrote " + out + " " + java.util.Arrays.toString(result.shape()));
        }
        return 0;
    }
}
