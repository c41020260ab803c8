package org.diffusionexplorer.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.stream.Stream;
import org.nd4j.autodiff.functions.DifferentialFunction;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.VariableType;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.CustomOp;
import org.nd4j.linalg.api.ops.ScalarOp;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Execution-plan recordings kept on disk, so that a plan for a graph and shapes met before is
 * assembled without running the graph through SameDiff first. That recording was most of the
 * explorer's way to its first denoising frame: about 0.8 s of SameDiff bookkeeping and freshly
 * allocated (page-faulted) arrays for the bundled model's first pass, before any plan existed.
 *
 * <p>A recording is found by its {@link #key}: a SHA-256 digest of everything that decides it (the
 * graph's ops with their classes, names, inputs, outputs and arguments; every variable's type and
 * shape; the placeholders' shapes; the outputs asked for; ND4J's version and {@link PlanRecording#FORMAT}).
 * A recording is only used for the graph and shapes it was made for, and was checked against
 * SameDiff's outputs when it was made. Variables are read live, so weights do not enter the key.
 *
 * <p>The explorer ships recordings for its bundled model's default pass (assets/plans, made by
 * {@code model/scripts/make-plan-recordings.sh}); {@code -Ddiffusion.plans.write=DIR} writes every
 * recording a process makes into DIR (which is read too). A file that does not parse is ignored, and
 * a recording is only data: op names that must exist in the graph, shapes and numeric arguments.
 */
public final class PlanStore {
    /** Reads nothing and writes nothing: every plan is recorded through SameDiff. */
    public static final PlanStore NONE = new PlanStore(null, null);

    private static final ObjectMapper JSON = new ObjectMapper();
    /** From the build (a fat jar's manifest does not carry ND4J's own version). */
    private static final String ND4J_VERSION = nd4jVersion();

    private final Path read;
    private final Path write;

    private PlanStore(Path read, Path write) {
        this.read = read;
        this.write = write;
    }

    /** Recordings read from {@code dir} (may be missing), and written where {@code -Ddiffusion.plans.write} says. */
    public static PlanStore in(Path dir) {
        String w = System.getProperty("diffusion.plans.write", "");
        return new PlanStore(dir, w.isBlank() ? null : Path.of(w));
    }

    /** Recordings read from and written to {@code dir}. */
    public static PlanStore readWrite(Path dir) {
        return new PlanStore(dir, dir);
    }

    /** The recording kept for {@code key}, or null when there is none (or it does not parse). */
    PlanRecording find(String key) {
        for (Path dir : Stream.of(write, read).filter(Objects::nonNull).distinct().toList()) {
            Path f = dir.resolve(key + ".json");
            if (!Files.isRegularFile(f)) continue;
            try {
                PlanRecording r = JSON.readValue(f.toFile(), PlanRecording.class);
                if (key.equals(r.key()) && r.steps() != null) return r;
            } catch (IOException | RuntimeException e) {
                System.err.println("note: ignoring the plan recording " + f + ": " + e.getMessage());
            }
        }
        return null;
    }

    /** Keeps {@code r} when this store writes (to a temporary name, then renamed); a failure only costs the next start its time. */
    void keep(PlanRecording r) {
        if (write == null) return;
        try {
            Files.createDirectories(write);
            Path tmp = Files.createTempFile(write, r.key(), ".tmp");
            JSON.writeValue(tmp.toFile(), r);
            Files.move(tmp, write.resolve(r.key() + ".json"), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            System.err.println("note: cannot keep the plan recording in " + write + ": " + e.getMessage());
        }
    }

    private static String nd4jVersion() {
        Properties p = new Properties();
        try (InputStream in = PlanStore.class.getResourceAsStream("plan-store.properties")) {
            if (in != null) p.load(in);
        } catch (IOException e) {
            // unknown: keys still differ from any made with a known version
        }
        return p.getProperty("nd4j.version", "unknown");
    }

    /** The digest a recording of {@code sd} computing {@code outputs} from placeholders shaped like {@code example} is kept under. */
    public static String key(SameDiff sd, Map<String, INDArray> example, List<String> outputs) {
        StringBuilder b = new StringBuilder("plan-recording ").append(PlanRecording.FORMAT).append('\n');
        b.append("nd4j ").append(ND4J_VERSION).append(' ').append(Nd4j.getBackend().getClass().getName()).append('\n');
        for (SameDiffOp op : sd.getOps().values()) {
            DifferentialFunction f = op.getOp();
            b.append("op ").append(op.getName()).append(' ').append(f.getClass().getName())
                    .append(" in ").append(op.getInputsToOp()).append(" out ").append(op.getOutputsOfOp());
            if (f instanceof CustomOp c) {
                b.append(" i ").append(Arrays.toString(c.iArgs())).append(" t ").append(Arrays.toString(c.tArgs()))
                        .append(" b ").append(Arrays.toString(c.bArgs())).append(" d ").append(Arrays.toString(c.dArgs()));
            } else if (f instanceof ScalarOp s && s.scalar() != null) {
                b.append(" scalar ").append(s.scalar().getDouble(0));
            }
            b.append('\n');
        }
        for (SDVariable v : sd.variables()) {
            b.append("var ").append(v.name()).append(' ').append(v.getVariableType()).append(' ').append(v.dataType());
            // an op output's shape is only known once the graph has run: left out, so a key is the same before and after
            if (v.getVariableType() != VariableType.ARRAY) b.append(' ').append(Arrays.toString(v.getShape()));
            b.append('\n');
        }
        example.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> b.append("placeholder ").append(e.getKey())
                .append(' ').append(Arrays.toString(e.getValue().shape())).append('\n'));
        b.append("outputs ").append(outputs).append('\n');
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }
}
