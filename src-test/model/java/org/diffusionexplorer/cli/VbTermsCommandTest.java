package org.diffusionexplorer.cli;

import static org.diffusionexplorer.cli.RunCommandsTest.assertOneLineError;
import static org.diffusionexplorer.cli.RunCommandsTest.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.diffusionexplorer.cli.RunCommandsTest.Result;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vb-terms on the bundled digits model: real digits are far more likely than the same digits with shuffled pixels. */
class VbTermsCommandTest {
    @TempDir
    Path dir;

    private static final Pattern TOTAL = Pattern.compile("total_bpd=([0-9.eE+-]+)$");

    /** Runs vb-terms and returns the CSV's rows after checking its form; the total is read from the last line. */
    private double run(boolean shuffle, Path csv) throws Exception {
        String[] base = {"vb-terms", "--model", "digits", "--n", "6", "--steps", "8", "--quiet", "--out", csv.toString()};
        Result r = cli(shuffle ? append(base, "--shuffle-pixels") : base);
        assertEquals(0, r.code(), r.err() + r.out());
        List<String> lines = Files.readAllLines(csv);
        assertEquals("t,vb_bpd,xstart_mse,eps_mse", lines.get(0));
        assertEquals(1 + 8 + 1, lines.size(), "a header, a row per timestep, the total");
        int lastT = -1;
        double sum = 0;
        for (String row : lines.subList(1, 9)) {
            String[] f = row.split(",");
            assertEquals(4, f.length, row);
            int t = Integer.parseInt(f[0]);
            assertTrue(t > lastT && t < 1000, "timesteps ascend within the model's 1000: " + row);
            lastT = t;
            for (int k = 1; k < 4; k++) assertTrue(Double.parseDouble(f[k]) >= 0, row);
            sum += Double.parseDouble(f[1]);
        }
        assertEquals(0, Integer.parseInt(lines.get(1).split(",")[0]), "the decoder term at t=0 is included");
        String last = lines.get(9);
        Matcher m = TOTAL.matcher(last);
        assertTrue(m.find(), last);
        double total = Double.parseDouble(m.group(1));
        Matcher prior = Pattern.compile("prior_bpd=([0-9.eE+-]+)").matcher(last);
        assertTrue(prior.find(), last);
        assertEquals(sum + Double.parseDouble(prior.group(1)), total, 1e-4 * total, "the total is the sum of the terms");
        assertTrue(r.out().strip().endsWith("-> " + csv), r.out());
        assertTrue(r.out().contains("total_bpd="), r.out());
        return total;
    }

    @Test
    void realDigitsAreMoreLikelyThanShuffledPixels() throws Exception {
        double real = run(false, dir.resolve("real.csv"));
        double shuffled = run(true, dir.resolve("shuffled.csv"));
        System.out.println("vb-terms digits n=6 steps=8: real " + real + " bits/dim, shuffled pixels " + shuffled);
        assertTrue(real > 0 && real < shuffled, "real " + real + " bits/dim, shuffled " + shuffled);
    }

    @Test
    void badOptionsNameTheFlag() {
        Path out = dir.resolve("x.csv");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "0", "--out", out.toString()), "--n");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "2", "--steps", "0", "--out", out.toString()), "--steps");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "2", "--steps", "5000", "--out", out.toString()), "--steps", "1000");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "2", "--data", "cifar", "--out", out.toString()), "--data");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "2000", "--steps", "2", "--out", out.toString()), "--n", "1000");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "two", "--out", out.toString()), "--n");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "2", "--out", dir.resolve("no/such/x.csv").toString()), "--out");
        assertOneLineError(cli("vb-terms", "--model", "digits", "--n", "2"), "--out");
        assertFalse(Files.exists(out), "nothing written on a refusal");
    }

    private static String[] append(String[] a, String s) {
        String[] b = java.util.Arrays.copyOf(a, a.length + 1);
        b[a.length] = s;
        return b;
    }
}
