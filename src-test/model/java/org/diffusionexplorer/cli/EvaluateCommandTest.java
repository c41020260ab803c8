package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.assertOneLineError;
import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffusionexplorer.cli.RunCommandsTest.Result;
import org.diffusionexplorer.config.RunConfig;
import org.diffusionexplorer.models.BundledModels;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * evaluate end to end on a tiny (8x8, untrained) model: it exercises sampling in batches, the resize
 * to the classifier's 28x28, the report and its files, not the quality. The run is made from freshly
 * initialised weights (export-weights + import-weights), which needs no training graph.
 */
class EvaluateCommandTest {
    @TempDir
    static Path dir;
    static Path run;

    @BeforeAll
    static void makeTinyRun() throws Exception {
        Path config = dir.resolve("tiny.json");
        Files.writeString(config, RunConfig.tiny().toJson());
        Path w = dir.resolve("w.npz");
        Result e = cli("export-weights", "--config", config.toString(), "--seed", "4", "--out", w.toString());
        assertEquals(0, e.code(), e.err());
        run = dir.resolve("run");
        Result i = cli("import-weights", "--weights", w.toString(), "--config", config.toString(), "--out", run.toString());
        assertEquals(0, i.code(), i.err());
    }

    @Test
    void evaluatesATinyRunInBatches() throws Exception {
        Path json = dir.resolve("report.json"), grid = dir.resolve("grid.png");
        Result r = cli("evaluate", "--run", run.toString(), "--n", "7", "--batch", "3", "--steps", "2", "--reference-n", "300",
                "--json", json.toString(), "--grid", grid.toString());
        assertEquals(0, r.code(), r.err() + r.out());
        // the histogram's rows add up to n
        Matcher m = Pattern.compile("(?m)^\\s+(\\d)\\s+(\\d+)\\s+[0-9.]+%").matcher(r.out());
        int rows = 0, sum = 0;
        while (m.find()) {
            rows++;
            sum += Integer.parseInt(m.group(2));
        }
        assertEquals(10, rows, r.out());
        assertEquals(7, sum, r.out());
        assertTrue(r.out().matches("(?s).*(PASS|FAIL) confident share.*"), r.out());
        assertTrue(r.out().matches("(?s).*(PASS|FAIL) every digit between 5% and 15%.*"), r.out());
        assertTrue(r.out().contains("held-out real"), r.out());
        assertTrue(r.err().contains("sampling step"), "a progress bar on stderr: " + r.err());

        JsonNode j = new ObjectMapper().readTree(json.toFile());
        int total = 0;
        for (JsonNode c : j.get("counts")) total += c.asInt();
        assertEquals(7, total);
        assertEquals(7, j.get("n").asInt());
        double fd = j.get("frechet").get("samples").asDouble(), real = j.get("frechet").get("held_out_real").asDouble();
        assertTrue(fd >= 0 && real >= 0 && Double.isFinite(fd), j.toString());
        // noise from an untrained model is far from real digits; held-out real digits are close to the training ones
        assertTrue(fd > real, "samples " + fd + " vs held-out real " + real);
        assertEquals(300, j.get("frechet").get("reference_digits").asInt());
        // real digits squeezed through this model's 8x8 pipeline are mostly unreadable: the ceiling is low at this size
        double realConfident = j.get("held_out_confident_share").asDouble();
        assertTrue(realConfident >= 0 && realConfident < 0.5, j.toString());
        assertTrue(Files.size(grid) > 0);
    }

    /** A class-conditional model is asked for 0..9 in turn, and the report says how many came out as asked. */
    @Test
    void aClassConditionalRunReportsAgreementWithTheAskedForDigits() throws Exception {
        String tiny = RunConfig.tiny().toJson();
        String conditional = RunConfig.tiny().classConditional(10).toJson();
        assertFalse(conditional.equals(tiny));
        Path config = dir.resolve("tiny-cond.json"), w = dir.resolve("w-cond.npz"), cond = dir.resolve("run-cond"), json = dir.resolve("cond.json");
        Files.writeString(config, conditional);
        assertEquals(0, cli("export-weights", "--config", config.toString(), "--seed", "4", "--out", w.toString()).code());
        assertEquals(0, cli("import-weights", "--weights", w.toString(), "--config", config.toString(), "--out", cond.toString()).code());

        Result r = cli("evaluate", "--run", cond.toString(), "--n", "12", "--batch", "5", "--steps", "2", "--reference-n", "100",
                "--json", json.toString(), "--quiet");
        assertEquals(0, r.code(), r.err() + r.out());
        Matcher m = Pattern.compile("read as the digit asked for: (\\d+)/12 ").matcher(r.out());
        assertTrue(m.find(), r.out());
        JsonNode j = new ObjectMapper().readTree(json.toFile());
        assertEquals(12, j.get("asked_for_classes").asInt());
        assertEquals(Integer.parseInt(m.group(1)) / 12.0, j.get("agreement_share").asDouble(), 1e-9);
        // the unconditional run's report has no such line
        Result u = cli("evaluate", "--run", run.toString(), "--n", "2", "--steps", "1", "--reference-n", "100", "--quiet");
        assertFalse(u.out().contains("asked for"), u.out());
    }

    /** The bundled model by name (one DDIM step on two images: the --model path, not its quality). */
    @Test
    void evaluatesTheBundledModelByName() {
        Result r = cli("evaluate", "--model", "digits", "--n", "2", "--steps", "1", "--reference-n", "100", "--quiet");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("1x28x28"), r.out());
        assertTrue(r.out().matches("(?s).*total\\s+2\\b.*"), r.out());
        // the shipped model is class-conditional, so the report says how many came out as the digit asked for
        assertTrue(r.out().contains("read as the digit asked for: "), r.out());
        // at 28x28 the classifier (98% accurate on them) reads nearly every held-out real digit with confidence
        Matcher m = Pattern.compile("held-out real digits: (\\d+)/1000").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Integer.parseInt(m.group(1)) > 900, r.out());
    }

    /** The classifier's folder sits under assets/models but is not a diffusion model the explorer or --model may list. */
    @Test
    void theClassifierIsNotListedAsABundledModel() {
        assertTrue(BundledModels.names().contains(BundledModels.DEFAULT), BundledModels.names().toString());
        assertFalse(BundledModels.names().contains("digit-classifier"), BundledModels.names().toString());
    }

    @Test
    void aMissingRunIsOneLine() {
        assertOneLineError(cli("evaluate", "--run", dir.resolve("nope").toString(), "--n", "4", "--quiet"), "no such run folder");
    }

    @Test
    void aMissingClassifierSaysHowToMakeIt() {
        assertOneLineError(cli("evaluate", "--run", run.toString(), "--classifier", dir.resolve("none").toString(), "--quiet"),
                "train-classifier");
    }

    @Test
    void badOptionsAreOneLine() {
        assertOneLineError(cli("evaluate", "--run", run.toString(), "--n", "1", "--quiet"), "n");
        assertOneLineError(cli("evaluate", "--run", run.toString(), "--sampler", "euler", "--quiet"), "sampler");
    }
}
