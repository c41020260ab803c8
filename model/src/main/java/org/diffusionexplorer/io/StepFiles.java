package org.diffusionexplorer.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Files named by the training step they hold, "step-00000100" and a suffix: a run's checkpoints
 * (step-N.ckpt.npz) and its sample grids (step-N.png). Written with eight digits so the names sort
 * as the steps do; read with up to 18, the most a long always holds, so any other name is just not one of them.
 */
public final class StepFiles {
    public static final StepFiles CHECKPOINTS = new StepFiles(".ckpt.npz");
    public static final StepFiles SAMPLE_GRIDS = new StepFiles(".png");

    private final String suffix;
    private final Pattern names;

    private StepFiles(String suffix) {
        this.suffix = suffix;
        this.names = Pattern.compile("step-(\\d{1,18})" + Pattern.quote(suffix));
    }

    /** The file name of {@code step}, e.g. "step-00000100.png". */
    public String name(long step) {
        return String.format(Locale.ROOT, "step-%08d", step) + suffix;
    }

    /** The step in {@code file}'s name; -1 when the name is not one of these files. */
    public long stepOf(Path file) {
        Matcher m = names.matcher(file.getFileName().toString());
        return m.matches() ? Long.parseLong(m.group(1)) : -1;
    }

    /** These files in {@code dir}, lowest step first (by the number, not by file time); none when {@code dir} is no folder. */
    public List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> stepOf(p) >= 0).sorted(Comparator.comparingLong(this::stepOf)).toList();
        }
    }

    /** The highest step among these files in {@code dir}; -1 when there is none. */
    public long newest(Path dir) throws IOException {
        List<Path> all = list(dir);
        return all.isEmpty() ? -1 : stepOf(all.get(all.size() - 1));
    }
}
