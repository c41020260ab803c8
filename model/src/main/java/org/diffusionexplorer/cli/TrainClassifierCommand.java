package org.diffusionexplorer.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.diffusionexplorer.eval.ClassifierFiles;
import org.diffusionexplorer.eval.DigitClassifier;
import org.diffusionexplorer.eval.Digits;
import org.diffusionexplorer.eval.Prediction;
import org.diffusionexplorer.io.AtomicFiles;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.unet.InvalidConfigException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Trains the digit classifier that {@code evaluate} uses, on the bundled MNIST training split, and
 * writes it with a README that states how it was made and its accuracy on the held-out split.
 * Run once; the result is committed under assets/.
 */
@Command(name = "train-classifier", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train the small digit classifier that 'evaluate' uses (once; the result is kept in assets/models/digit-classifier) "
                + "on the 9000 bundled 'mnist' digits, and report its accuracy on the 1000 held-out 'mnist-test' digits.")
public final class TrainClassifierCommand implements Callable<Integer> {

    @Option(names = "--epochs", defaultValue = "8", paramLabel = "N", description = "Passes over the training digits (default ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", defaultValue = "64", paramLabel = "B", description = "Mini-batch size (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "LR", description = "Adam learning rate, falling linearly to 0 (default ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--shift", defaultValue = "2", paramLabel = "PX", description = "Random shifts of up to PX pixels (default ${DEFAULT-VALUE}).")
    int shift;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of initialisation, shuffling and shifts (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: assets/models/digit-classifier).")
    Path out;

    @Option(names = "--quiet", description = "No progress bar.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        DigitClassifier.TrainOptions o;
        try {
            o = new DigitClassifier.TrainOptions(epochs, batch, lr, shift, seed);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("train-classifier", e.getMessage());
        }
        Path dir = out != null ? out : ClassifierFiles.defaultDir();
        Digits train = Digits.load("mnist"), test = Digits.load("mnist-test");
        DigitClassifier c = DigitClassifier.init(seed);
        ProgressBar bar = quiet ? null : new ProgressBar(System.err, "batch", (long) epochs * ((train.size() + batch - 1) / batch));
        long t0 = System.nanoTime();
        double loss = c.train(train, o, bar == null ? null
                : (epoch, step, total, l) -> bar.update(step, String.format(Locale.ROOT, "epoch %d/%d  loss %.4f", epoch, epochs, l)));
        double trainSecs = (System.nanoTime() - t0) / 1e9;
        if (bar != null) bar.finish();
        Prediction p = c.predict(test.images());
        double acc = p.accuracy(test.labels());
        Files.createDirectories(dir);
        c.save(dir.resolve(ClassifierFiles.WEIGHTS));
        String readme = readme(o, loss, trainSecs, acc, p, test, train.size(), Files.size(dir.resolve(ClassifierFiles.WEIGHTS)));
        AtomicFiles.write(dir.resolve(ClassifierFiles.README), s -> s.write(readme.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        System.out.println(String.format(Locale.ROOT, "trained in %.1f s (%d epochs, last-epoch loss %.4f); held-out accuracy %.2f%% (%d/%d) -> %s",
                trainSecs, epochs, loss, 100 * acc, Math.round(acc * test.size()), test.size(), dir));
        return 0;
    }

    private String readme(DigitClassifier.TrainOptions o, double loss, double secs, double acc, Prediction p, Digits test, int trainCount, long bytes) {
        StringBuilder perDigit = new StringBuilder("| digit | " + "0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 |\n|---|---|---|---|---|---|---|---|---|---|---|\n| accuracy |");
        int[] pred = p.digits();
        for (int d = 0; d < 10; d++) {
            int n = 0, right = 0;
            for (int i = 0; i < pred.length; i++) {
                if (test.labels()[i] != d) continue;
                n++;
                if (pred[i] == d) right++;
            }
            perDigit.append(String.format(Locale.ROOT, " %.1f%% |", n == 0 ? 0 : 100.0 * right / n));
        }
        return String.format(Locale.ROOT, """
                # Digit classifier (the judge of `evaluate`)

                A small CNN (org.diffusionexplorer.eval.DigitClassifier: conv 5x5 16, max-pool, conv 5x5 32,
                max-pool, dense 128 = the feature layer, dense 10) for 28x28 gray digits in [-1, 1].
                `weights.npz` holds its float32 parameters (conv weights in ND4J's [kH, kW, in, out] layout),
                %,d bytes. This file was written by the command that trained it.

                ## How it was trained
                ```
                DIFFUSION_THREADS=%d java -jar model/target/diffusion-cli.jar train-classifier --epochs %d --batch %d --lr %s --shift %d --seed %d
                ```
                - data: the %d bundled `mnist` training digits, randomly shifted by up to %d px;
                - Adam, learning rate %s falling linearly to 0, batch %d, %d epochs, seed %d;
                - training wall time: %.1f s (%d native thread(s), %s); mean loss of the last epoch %.4f.

                ## Measured accuracy on the held-out `mnist-test` digits (%d images, never trained on)
                **%.2f%%** (%d/%d)

                %s
                """, bytes, NativeRuntime.threads(), o.epochs(), o.batchSize(), fmt(o.lr()), o.maxShift(), o.seed(), trainCount, o.maxShift(),
                fmt(o.lr()), o.batchSize(), o.epochs(), o.seed(), secs, NativeRuntime.threads(), Instant.now().truncatedTo(ChronoUnit.SECONDS),
                loss, test.size(), 100 * acc, Math.round(acc * test.size()), test.size(), perDigit);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v).replaceAll("\\.0$", "");
    }
}
