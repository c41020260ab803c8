package org.diffusionexplorer.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.io.torch.TorchStateDict;

/**
 * One state_dict (the reference's tensor names to arrays) from either file format a user may
 * have: numpy's .npz or PyTorch's .pt. (Here, above io and io.torch, so neither format's package
 * depends on the other.) The format is told by the contents, not the name, so an
 * improved-diffusion checkpoint renamed or an .npz called .pt both read.
 */
public final class StateDicts {
    private StateDicts() {}

    public static Map<String, NpyArray> read(Path file) throws IOException {
        return isTorch(file) ? TorchStateDict.read(file) : Npz.read(file);
    }

    /** True when the file is (or claims by its name to be) a PyTorch file. */
    public static boolean isTorch(Path file) {
        return TorchStateDict.looksLike(file);
    }
}
