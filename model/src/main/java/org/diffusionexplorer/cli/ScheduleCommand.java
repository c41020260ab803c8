package org.diffusionexplorer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.NoiseSchedule;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Writes the per-timestep arrays of a (respaced) noise schedule, named as the reference names them. */
@Command(name = "schedule", mixinStandardHelpOptions = true,
        description = "Write a noise schedule's float64 arrays (betas, alphas_cumprod, posterior_*, ...) to an .npz.")
public final class ScheduleCommand implements Callable<Integer> {

    @Option(names = "--noise-schedule", defaultValue = "linear", description = "linear or cosine (default ${DEFAULT-VALUE}).")
    String schedule;

    @Option(names = "--steps", defaultValue = "1000", description = "Diffusion steps T (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--respace", defaultValue = "", description = "Keep fewer steps: \"250\", \"10,15,20\" or \"ddim50\".")
    String respace;

    @Option(names = "--out", required = true, description = "Output .npz file.")
    Path out;

    @Override
    public Integer call() throws IOException {
        if (steps < 1) throw new IllegalArgumentException("--steps must be at least 1, got " + steps);
        GaussianDiffusion d = GaussianDiffusion.builder().schedule(NoiseSchedule.parse(schedule)).steps(steps)
                .respacing(respace).build();
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        if (!respace.isBlank()) {
            long[] kept = new long[d.numTimesteps];
            for (int i = 0; i < kept.length; i++) kept[i] = d.timestepMap[i];
            arrays.put("timesteps", NpyArray.of(kept));
            arrays.put("timestep_map", NpyArray.of(kept.clone()));
        }
        for (Map.Entry<String, double[]> e : d.namedArrays().entrySet()) arrays.put(e.getKey(), NpyArray.of(e.getValue()));
        writeAtomically(out, arrays);
        System.out.println("wrote " + out + ": " + schedule + " schedule, " + d.numTimesteps + " of " + steps + " steps");
        return 0;
    }

    /** Temp file beside the target, then rename, so a crash never leaves half a file under the final name. */
    static void writeAtomically(Path target, Map<String, NpyArray> arrays) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try {
            Npz.write(tmp, arrays);
            try {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
