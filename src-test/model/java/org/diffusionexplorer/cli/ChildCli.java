package org.diffusionexplorer.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.TrainingSettings;

/** The CLI in a child JVM (a second real process), and the tiny run config the process tests train. */
final class ChildCli {
    private ChildCli() {}

    /** Starts {@code diffusion args...}; stdout and stderr go, merged, to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        return start(log, List.of(), args);
    }

    /** As {@link #start(Path, String...)} with extra JVM options (e.g. -Duser.home=...). */
    static Process start(Path log, List<String> jvmOptions, String... args) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), "-Xmx768m", "-Ddiffusion.threads=1"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), DiffusionCli.class.getName()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs to the end (at most 5 minutes) and returns the exit code. */
    static int run(Path log, String... args) throws Exception {
        Process p = start(log, args);
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("no exit after 300 s:\n" + Files.readString(log));
        }
        return p.exitValue();
    }

    /** Six 8x8 gray PNGs of distinct stripe patterns in {@code data} (created), the child runs' training set. */
    static Path grayImages(Path data) throws IOException {
        Files.createDirectories(data);
        for (int i = 0; i < 6; i++) {
            BufferedImage im = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < 8; y++) for (int x = 0; x < 8; x++) im.getRaster().setSample(x, y, 0, ((x * (i + 1) + y) % 5) * 60);
            ImageIO.write(im, "png", data.resolve("d" + i + ".png").toFile());
        }
        return data;
    }

    /** A tiny config over six 8x8 gray images in {@code dir}/data: batch 4, a checkpoint every step. */
    static Path tinyConfig(Path dir) throws IOException {
        Path data = grayImages(dir.resolve("data"));
        RunConfig tiny = RunConfig.tiny();
        TrainingSettings t = tiny.training().with(4, 1e-3, List.of(0.99), true, 1, 1, 0);
        Path config = dir.resolve("tiny.json");
        Files.writeString(config, tiny.withTraining(t).withData(tiny.data().withDataDir(data.toString())).toJson());
        return config;
    }

    /** Waits until {@code file} exists while {@code p} runs. */
    static void awaitFile(Process p, Path file, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (!Files.exists(file)) {
            if (!p.isAlive()) throw new AssertionError("the child ended before " + file + " appeared:\n" + Files.readString(log));
            if (System.nanoTime() > deadline) throw new AssertionError("no " + file + " after 300 s:\n" + Files.readString(log));
            Thread.sleep(20);
        }
    }

    /** The last line that is not blank (a progress bar's carriage returns count as line ends). */
    static String lastLine(String output) {
        String[] lines = output.split("[\r\n]+");
        for (int i = lines.length - 1; i >= 0; i--) if (!lines[i].isBlank()) return lines[i].strip();
        return "";
    }

    static void signal(Process p, String name) throws Exception {
        if (new ProcessBuilder("kill", "-" + name, Long.toString(p.pid())).start().waitFor() != 0) {
            throw new AssertionError("kill -" + name + " failed");
        }
    }
}
