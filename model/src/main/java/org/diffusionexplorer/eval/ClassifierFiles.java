package org.diffusionexplorer.eval;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.diffusionexplorer.data.Datasets;

/**
 * Where the trained digit classifier lives: assets/models/digit-classifier/ with weights.npz and a
 * README.md that records how it was trained and how well it reads held-out digits. It is trained
 * once (train-classifier) and then only loaded, so every evaluation uses the same judge.
 */
public final class ClassifierFiles {
    public static final String FOLDER = "models/digit-classifier";
    public static final String WEIGHTS = "weights.npz";
    public static final String README = "README.md";
    /** How to create the classifier, for messages. */
    public static final String HOW_TO_CREATE = "java -jar model/target/diffusion-cli.jar train-classifier";

    private ClassifierFiles() {}

    /** assets/models/digit-classifier (the assets folder found as for the bundled datasets). */
    public static Path defaultDir() {
        return Datasets.assetsDir().resolve(FOLDER);
    }

    /** The classifier in {@code dir}, or a one-line explanation of how to make it. */
    public static DigitClassifier load(Path dir) throws IOException {
        Path w = dir.resolve(WEIGHTS);
        if (!Files.isRegularFile(w)) {
            throw new EvalException("no digit classifier at " + w + "; create it once with: " + HOW_TO_CREATE
                    + (dir.equals(defaultDir()) ? "" : " --out " + dir));
        }
        return DigitClassifier.load(w);
    }
}
