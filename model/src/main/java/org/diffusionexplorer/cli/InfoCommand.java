package org.diffusionexplorer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.diffusionexplorer.checkpoint.Checkpoint;
import org.diffusionexplorer.checkpoint.CheckpointException;
import org.diffusionexplorer.checkpoint.StateDicts;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.config.RunException;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.io.torch.TorchStateDict;
import org.diffusionexplorer.nn.ParamSpec;
import org.diffusionexplorer.train.MetricsLog;
import org.diffusionexplorer.train.RunFolder;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetModel;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** What a run folder, checkpoint or weights file holds, without building a model; with no argument, the numeric backend. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Show a run's or checkpoint's config, step, EMA rates, parameter count and last metrics.",
            "With no argument (or --backend): the numeric backend and device (CPU or CUDA GPU, memory, threads)."})
public final class InfoCommand implements Callable<Integer> {

    @Parameters(paramLabel = "RUN_DIR|FILE", arity = "0..1", description = "A run folder, a checkpoint (.ckpt.npz) or a weights .npz or .pt.")
    Path path;

    @Option(names = "--backend", description = "Show the numeric backend and device (also after a run's info).")
    boolean backend;

    @Override
    public Integer call() throws Exception {
        if (path == null || backend) {
            if (path != null) describePath();
            org.diffusionexplorer.runtime.BackendReport.current().lines().forEach(System.out::println);
            return 0;
        }
        return describePath();
    }

    private int describePath() throws Exception {
        if (Files.isDirectory(path)) return run();
        if (!Files.isRegularFile(path)) throw new RunException("no such run folder or file: " + path);
        if (StateDicts.isTorch(path)) {
            weights(TorchStateDict.read(path), "a PyTorch state_dict");
            return 0;
        }
        try {
            checkpoint(Checkpoint.read(path));
        } catch (CheckpointException e) {
            if (!e.getMessage().contains("plain weights")) throw e;
            weights(Npz.read(path), "a plain state_dict .npz");
        }
        return 0;
    }

    private int run() throws Exception {
        RunFolder f = new RunFolder(path);
        if (!f.isRun()) throw new RunException(path + " is not a run folder (no " + RunFolder.CONFIG + ")");
        RunConfig cfg = RunConfig.read(f.config());
        System.out.println("run         " + path.toAbsolutePath());
        describe(cfg);
        List<Path> ckpts = f.checkpoints(cfg.training().keepCheckpoints()).list();
        System.out.println("checkpoints " + (ckpts.isEmpty() ? "none" : ckpts.size() + ", newest " + ckpts.get(ckpts.size() - 1).getFileName()));
        var latest = f.checkpoints(cfg.training().keepCheckpoints()).latest(w -> System.err.println("warning: " + w));
        if (latest.isPresent()) {
            System.out.println("step        " + latest.get().step());
            System.out.println("ema         " + (latest.get().ema().isEmpty() ? "none" : String.join(", ", latest.get().ema().keySet())));
        }
        Map<String, String> last = MetricsLog.lastRow(f.metrics());
        if (!last.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            last.forEach((k, v) -> sb.append(k).append('=').append(v.isEmpty() ? "-" : v).append(' '));
            System.out.println("last row    " + sb.toString().trim());
        }
        return 0;
    }

    private void checkpoint(Checkpoint c) {
        System.out.println("checkpoint  " + path.toAbsolutePath());
        System.out.println("step        " + c.step());
        if (c.meta().has("config") && c.meta().get("config").isObject()) {
            describe(RunConfig.fromJson((com.fasterxml.jackson.databind.node.ObjectNode) c.meta().get("config")));
        }
        System.out.println("ema         " + (c.ema().isEmpty() ? "none" : String.join(", ", c.ema().keySet())));
        System.out.println("optimizer   " + (c.optimizer().isEmpty() ? "none (imported weights)" : "AdamW step " + c.meta().path("adam_step").asLong()));
        if (c.meta().has("imported_from")) System.out.println("imported    " + c.meta().get("imported_from").asText());
    }

    private void weights(Map<String, NpyArray> w, String what) {
        long n = 0;
        for (NpyArray a : w.values()) n += a.length();
        System.out.println("weights     " + path.toAbsolutePath() + " (" + what + "; import-weights makes it a checkpoint)");
        System.out.println("tensors     " + w.size());
        System.out.println("parameters  " + String.format("%,d", n));
    }

    private static void describe(RunConfig cfg) {
        UNetConfig m = cfg.model();
        long params = UNetModel.parameterSpecs(m).stream().mapToLong(ParamSpec::numel).sum();
        System.out.println("model       " + m.imageSize() + "x" + m.imageSize() + "x" + m.inChannels() + " -> " + m.outChannels()
                + " channels, C=" + m.modelChannels() + ", mult " + m.channelMult() + ", " + m.numResBlocks() + " res blocks, attention ds "
                + m.attentionResolutions() + (m.classConditional() ? ", " + m.numClasses() + " classes" : ""));
        System.out.println("parameters  " + String.format("%,d", params));
        var d = cfg.diffusion();
        System.out.println("diffusion   " + d.noiseSchedule() + ", " + d.diffusionSteps() + " steps"
                + (d.timestepRespacing().isEmpty() ? "" : " respaced " + d.timestepRespacing()) + ", " + d.meanType() + ", " + d.varType()
                + ", " + d.lossType());
        var t = cfg.training();
        System.out.println("training    lr " + t.lr() + ", batch " + t.batchSize() + ", ema " + String.join(",", t.emaNames())
                + (t.emaWarmup() ? " (warm-up)" : "") + ", " + t.scheduleSampler() + ", seed " + t.seed());
        System.out.println("data        " + (cfg.data().dataDir().isEmpty() ? "none" : cfg.data().dataDir()));
    }
}
