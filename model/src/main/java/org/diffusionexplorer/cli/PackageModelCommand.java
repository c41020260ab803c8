package org.diffusionexplorer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.Callable;
import org.diffusionexplorer.models.ModelFolder;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.plot.LossCurvePlot;
import org.diffusionexplorer.train.MetricsLog;
import org.diffusionexplorer.train.RunFolder;
import org.diffusionexplorer.train.RunOpening;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Turns a run into a small model folder to ship: one set of weights, the config, the loss curve. */
@Command(name = "package-model", mixinStandardHelpOptions = true,
        description = {"Write a model folder (config.json, weights.npz, model.json, metrics.csv, loss.png) from a run's",
            "newest checkpoint: one set of weights and no optimizer state, as bundled in assets/models."})
public final class PackageModelCommand implements Callable<Integer> {

    @Option(names = "--run", required = true, paramLabel = "RUN_DIR", description = "The run folder.")
    Path run;

    @Option(names = "--ema", paramLabel = "RATE|model", description = "Which weights (default: the first EMA).")
    String ema;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "The model folder to write (created or updated).")
    Path out;

    @Override
    public Integer call() throws Exception {
        RunWeights w = RunOpening.newestWeights(run, ema, s -> System.err.println("warning: " + s));
        ModelFolder folder = new ModelFolder(out);
        folder.write(w.config(), w.weights(), new ModelFolder.Info(w.step(), w.weightsName(), run.toAbsolutePath().getFileName().toString()));
        Path metrics = new RunFolder(run).metrics();
        if (Files.isRegularFile(metrics)) {
            // rows up to the packaged step only: a live run may have logged further
            Files.copy(metrics, out.resolve("metrics.csv"), StandardCopyOption.REPLACE_EXISTING);
            new MetricsLog(out.resolve("metrics.csv")).truncateAfter(w.step());
            LossCurvePlot.write(metrics, out.resolve("loss.png"), "training loss of " + out.getFileName() + " (" + w.step() + " steps)");
        }
        System.out.printf("wrote %s: %s of step %d (%d arrays)%n", out, w.weightsName(), w.step(), w.weights().size());
        return 0;
    }
}
