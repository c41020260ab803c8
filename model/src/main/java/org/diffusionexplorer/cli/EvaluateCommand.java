package org.diffusionexplorer.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionexplorer.data.ImageGrid;
import org.diffusionexplorer.eval.ClassifierFiles;
import org.diffusionexplorer.eval.DigitClassifier;
import org.diffusionexplorer.eval.DigitReport;
import org.diffusionexplorer.eval.Digits;
import org.diffusionexplorer.eval.FeatureStats;
import org.diffusionexplorer.eval.Prediction;
import org.diffusionexplorer.eval.SampleBatches;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.models.RunWeights;
import org.diffusionexplorer.sample.Sampling;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Issue 3: the quality of generated digits measured by a fixed classifier instead of eyeballed.
 * Samples N images, lets the cached digit classifier read them, and reports the class histogram,
 * the share read with confidence, and the Frechet distance of classifier features to real digits
 * beside the same distance for held-out real digits.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure the quality of a digits model (a run, a checkpoint or the bundled --model digits): sample N images, "
                + "classify them with the cached digit classifier (assets/models/digit-classifier, made once by train-classifier) and "
                + "report the class histogram, the share classified with confidence >= 0.9, and the Frechet distance between classifier "
                + "features of the samples and of the real training digits, next to the same distance for held-out real digits "
                + "(what real data scores).",
                "Images of other sizes or with 3 channels are resized to 28x28 gray, so any run can be evaluated."})
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    WeightsChoice weights;

    @Option(names = "--n", defaultValue = "1000", paramLabel = "N", description = "Number of samples (default ${DEFAULT-VALUE}; issue 3's targets are for 1000).")
    int n;

    @Option(names = "--sampler", defaultValue = "ddim", paramLabel = "ddpm|ddim", description = "Reverse process (default ${DEFAULT-VALUE}).")
    String sampler;

    @Option(names = "--steps", defaultValue = "50", paramLabel = "S", description = "Evenly spaced steps of the run's process (default ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--eta", defaultValue = "0", paramLabel = "E", description = "DDIM eta (default ${DEFAULT-VALUE}: deterministic).")
    double eta;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of all noise (default ${DEFAULT-VALUE}); the first batch equals 'sample --n B --seed S'.")
    long seed;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Images sampled per forward pass (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--reference-n", defaultValue = "9000", paramLabel = "K",
            description = "Real training digits for the reference statistics: all 9000 (default) or a fixed subset of K.")
    int referenceN;

    @Option(names = "--classifier", paramLabel = "DIR", description = "Classifier folder (default: assets/models/digit-classifier).")
    Path classifierDir;

    @Option(names = "--grid", paramLabel = "out.png", description = "Also write the samples as a PNG: one row per predicted digit 0..9, up to 10 each (black: none).")
    Path grid;

    @Option(names = "--json", paramLabel = "report.json", description = "Also write the report as JSON.")
    Path json;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (n < 2) throw new InvalidConfigException("n", "must be at least 2 (a covariance needs two samples), got " + n);
        if (batch < 1) throw new InvalidConfigException("batch", "must be positive, got " + batch);
        if (steps < 1) throw new InvalidConfigException("steps", "must be positive, got " + steps);
        if (referenceN < 2) throw new InvalidConfigException("reference-n", "must be at least 2, got " + referenceN);
        // the classifier first: without it nothing below is worth its minutes
        Path dir = classifierDir != null ? classifierDir : ClassifierFiles.defaultDir();
        DigitClassifier classifier = ClassifierFiles.load(dir);
        RunWeights w = weights.load();
        int size = w.config().model().imageSize(), channels = w.config().model().inChannels();
        if (channels != 1 && channels != 3) throw new InvalidConfigException("evaluate", "the model makes " + channels + "-channel images; digits need 1 or 3");
        Sampling.Options o = new Sampling.Options(Sampling.Kind.parse(sampler), Integer.toString(steps), eta, Math.min(n, batch), seed, true);
        Sampling.sampler(w.config().diffusion(), o); // bad settings fail before the model is built

        long t0 = System.nanoTime();
        SampleBatches.Drawn drawn;
        try (UNetModel model = w.newModel()) {
            ProgressBar b = quiet ? null : new ProgressBar(System.err, "sampling step", (long) ((n + batch - 1) / batch) * steps);
            drawn = SampleBatches.generate(model, w.config().diffusion(), o, n, batch, seed,
                    b == null ? null : (done, total) -> b.update(done, String.format(Locale.ROOT, "(%d images)", n)));
            if (b != null) b.finish();
        }
        double sampleSecs = (System.nanoTime() - t0) / 1e9;
        if (!quiet) System.err.println("classifying the samples and the real digits ...");
        INDArray samples = drawn.images();
        Prediction p = classifier.predict(samples);
        // real digits go through the model's own data pipeline at its size, then the same resize as the samples
        FeatureStats train = FeatureStats.of(classifier.predict(Digits.load("mnist", size, channels, referenceN, 0).images()).features());
        Prediction heldOut = classifier.predict(Digits.load("mnist-test", size, channels, Integer.MAX_VALUE, 0).images());
        DigitReport r = DigitReport.of(p, drawn.labels(), train, heldOut);

        String header = String.format(Locale.ROOT, "%d samples of %s (%s, step %d), %s, %d steps, seed %d, %dx%dx%d, sampled in %.1f s",
                n, w.source(), w.weightsName(), w.step(), o.describe(), steps, seed,
                channels, size, size, sampleSecs);
        print(System.out, header, r, dir);
        if (grid != null) writeGrid(samples, p);
        if (json != null) writeJson(header, r);
        return 0;
    }

    private static void print(PrintStream out, String header, DigitReport r, Path dir) {
        out.println(header);
        out.println("classifier: " + dir.resolve(ClassifierFiles.WEIGHTS));
        out.println();
        out.println("digit  count   share");
        int max = r.counts()[r.extremeDigit(true)];
        for (int d = 0; d < r.counts().length; d++) {
            int len = max == 0 ? 0 : (int) Math.round(40.0 * r.counts()[d] / max);
            out.println(String.format(Locale.ROOT, "  %d   %5d  %5.1f%%  %s", d, r.counts()[d], 100 * r.share(d), "#".repeat(len)));
        }
        out.println(String.format(Locale.ROOT, "total  %5d", r.n()));
        out.println();
        out.println(String.format(Locale.ROOT, "confident (max probability >= %.1f): %d/%d = %.1f%%  (held-out real digits: %d/%d = %.1f%%)",
                DigitReport.CONFIDENCE, r.confident(), r.n(), 100 * r.confidentShare(), r.heldOutConfident(), r.heldOutCount(),
                100 * r.heldOutConfidentShare()));
        if (r.asked() > 0) {
            out.println(String.format(Locale.ROOT, "read as the digit asked for: %d/%d = %.1f%%  (a class-conditional model, asked for 0..9 in turn)",
                    r.agreeing(), r.asked(), 100 * r.agreementShare()));
        }
        out.println(String.format(Locale.ROOT, "Frechet distance to %d real training digits (classifier features, %d-d; lower is better):",
                r.referenceCount(), DigitClassifier.FEATURES));
        out.println(String.format(Locale.ROOT, "  samples           %10.3f  (mean term %.3f, covariance term %.3f)", r.samples().value(),
                r.samples().meanTerm(), r.samples().covarianceTerm()));
        out.println(String.format(Locale.ROOT, "  held-out real     %10.3f  (%d mnist-test digits: what real data scores with that many images)",
                r.heldOut().value(), r.heldOutCount()));
        out.println();
        out.println("targets (issue 3, for the shipped digits model and 1000 samples):");
        out.println(String.format(Locale.ROOT, "  %s confident share %.1f%% >= %.0f%%", verdict(r.confidentTargetMet()), 100 * r.confidentShare(),
                100 * DigitReport.MIN_CONFIDENT_SHARE));
        int lo = r.extremeDigit(false), hi = r.extremeDigit(true);
        out.println(String.format(Locale.ROOT, "  %s every digit between %.0f%% and %.0f%% of samples (lowest %d: %.1f%%, highest %d: %.1f%%)",
                verdict(r.balanceTargetMet()), 100 * DigitReport.MIN_DIGIT_SHARE, 100 * DigitReport.MAX_DIGIT_SHARE, lo, 100 * r.share(lo), hi,
                100 * r.share(hi)));
        out.println(String.format(Locale.ROOT, "  INFO Frechet distance %.3f against %.3f for held-out real digits (no fixed target)",
                r.samples().value(), r.heldOut().value()));
    }

    private static String verdict(boolean met) {
        return met ? "PASS" : "FAIL";
    }

    /** Rows 0..9 of samples read as that digit, padded with black tiles so every row is one line. */
    private void writeGrid(INDArray samples, Prediction p) throws IOException {
        int cols = 10;
        long[] shape = samples.shape();
        List<INDArray> rows = new ArrayList<>();
        for (int d = 0; d < DigitClassifier.CLASSES; d++) {
            INDArray row = Nd4j.valueArrayOf(new long[] {cols, shape[1], shape[2], shape[3]}, -1f);
            int k = 0;
            for (int i = 0; i < p.size() && k < cols; i++) {
                if (p.digit(i) == d) row.putSlice(k++, samples.slice(i));
            }
            rows.add(row);
        }
        ImageGrid.writeRows(rows, cols, ImageGrid.defaultScale((int) shape[2]), grid);
    }

    private void writeJson(String header, DigitReport r) throws IOException {
        ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = m.createObjectNode();
        root.put("summary", header);
        root.put("source", weights.source.given());
        root.put("sampler", sampler).put("steps", steps).put("eta", eta).put("seed", seed).put("n", r.n());
        ArrayNode counts = root.putArray("counts");
        ArrayNode shares = root.putArray("shares");
        for (int d = 0; d < r.counts().length; d++) {
            counts.add(r.counts()[d]);
            shares.add(r.share(d));
        }
        root.put("confidence_threshold", DigitReport.CONFIDENCE).put("confident_share", r.confidentShare())
                .put("held_out_confident_share", r.heldOutConfidentShare());
        if (r.asked() > 0) root.put("asked_for_classes", r.asked()).put("agreement_share", r.agreementShare());
        ObjectNode fd = root.putObject("frechet");
        fd.put("samples", r.samples().value()).put("samples_mean_term", r.samples().meanTerm())
                .put("samples_covariance_term", r.samples().covarianceTerm()).put("held_out_real", r.heldOut().value())
                .put("reference_digits", r.referenceCount()).put("held_out_digits", r.heldOutCount());
        ObjectNode t = root.putObject("targets");
        t.putObject("confident_share").put("min", DigitReport.MIN_CONFIDENT_SHARE).put("pass", r.confidentTargetMet());
        t.putObject("digit_share").put("min", DigitReport.MIN_DIGIT_SHARE).put("max", DigitReport.MAX_DIGIT_SHARE).put("pass", r.balanceTargetMet());
        AtomicFiles.writeString(json, m.writeValueAsString(root) + "\n");
    }
}
