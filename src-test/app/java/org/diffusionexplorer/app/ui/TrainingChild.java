package org.diffusionexplorer.app.ui;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.diffusionexplorer.cli.DiffusionCli;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;

/**
 * The CLI in a child JVM training a tiny run, for the app's tests of runs trained elsewhere. (The
 * model module's tests have the same launcher, ChildCli; test classes are not shared between the
 * modules, so the app keeps this short one.)
 */
final class TrainingChild {
    private TrainingChild() {
    }

    /** Starts {@code diffusion args...} in a second JVM; its output, merged, goes to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx768m", "-Ddiffusion.threads=1", "-cp",
                System.getProperty("java.class.path"), DiffusionCli.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Six 8x8 grey PNGs of distinct stripes in {@code data} (created): a training set for the tiny model. */
    static Path grayImages(Path data) throws IOException {
        Files.createDirectories(data);
        for (int i = 0; i < 6; i++) {
            BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) im.getRaster().setSample(x, y, 0, ((x * (i + 1) + y) % 5) * 60);
            ImageIO.write(im, "png", data.resolve("d" + i + ".png").toFile());
        }
        return data;
    }

    /**
     * A tiny run config over {@code data} written to {@code file}: batch {@code batch}, a metrics row every
     * step, a checkpoint every 5, a grid (DDIM 2) every 3, the given timestep sampler and diffusion steps.
     */
    static Path tinyConfig(Path file, Path data, int batch, String sampler, int diffusionSteps, int sampleInterval) throws IOException {
        RunConfig tiny = RunConfig.tiny();
        TrainingSettings t = tiny.training().with(batch, 1e-3, List.of(0.99), true, 1, 5, sampleInterval);
        t = new TrainingSettings(t.lr(), t.weightDecay(), t.lrAnnealSteps(), t.batchSize(), t.microbatch(), t.emaRate(), t.emaWarmup(),
                sampler, t.logInterval(), t.saveInterval(), t.sampleInterval(), 4, 2, t.keepCheckpoints(), t.seed(), t.classCond());
        RunConfig cfg = new RunConfig(tiny.model(), tiny.diffusion().withSteps(diffusionSteps, "cosine"), t,
                tiny.data().withDataDir(data.toString()));
        Files.writeString(file, cfg.toJson());
        return file;
    }
}
