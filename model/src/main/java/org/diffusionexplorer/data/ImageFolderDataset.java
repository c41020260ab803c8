package org.diffusionexplorer.data;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Every .jpg/.jpeg/.png/.gif below a folder, as the reference lists them: directory entries
 * sorted by name (code point order, like Python's sorted), files and sub-folders interleaved,
 * extensions case-insensitive. Files whose header cannot be read are skipped at open time and
 * counted in {@link #summary()}; a file that fails later, while decoding, is skipped then.
 */
public final class ImageFolderDataset extends LabelledImages {
    private static final System.Logger LOG = System.getLogger(ImageFolderDataset.class.getName());
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "gif");

    private final Path folder;
    private final List<Path> files;
    private final LoadSummary summary;
    private final AtomicReferenceArray<byte[]> cache; // null when not caching
    private final boolean[] failed;

    private ImageFolderDataset(Path folder, DatasetOptions options, List<Path> files, LoadSummary summary) {
        // Classes from the usable files only, so that no class index is without images.
        super(options, files.stream().map(ImageFolderDataset::className).toList(), ImageFolderDataset::compareCodePoints);
        this.folder = folder;
        this.files = List.copyOf(files);
        this.summary = summary;
        this.failed = new boolean[files.size()];
        this.cache = options.shouldCache(files.size()) ? new AtomicReferenceArray<>(files.size()) : null;
    }

    /**
     * Lists and header-checks the images below {@code folder}.
     *
     * @throws DatasetException if the folder does not exist or holds no readable image
     */
    public static ImageFolderDataset open(Path folder, DatasetOptions options) {
        if (!Files.isDirectory(folder)) throw new DatasetException("not a folder: " + folder.toAbsolutePath());
        List<Path> candidates = new ArrayList<>();
        try {
            list(folder, candidates, new HashSet<>());
        } catch (java.nio.file.AccessDeniedException e) {
            throw new DatasetException("cannot list " + e.getFile() + ": permission denied");
        } catch (IOException e) {
            throw new DatasetException("cannot list " + folder.toAbsolutePath() + ": " + e);
        }
        if (candidates.isEmpty()) {
            throw new DatasetException("no .jpg, .jpeg, .png or .gif files in " + folder.toAbsolutePath());
        }
        LoadSummary summary = new LoadSummary(folder.toString());
        List<Path> ok = new ArrayList<>();
        for (Path f : candidates) {
            try {
                ImageDecoder.probe(f);
                ok.add(f);
            } catch (ImageDecodeException e) {
                summary.skip(folder.relativize(f).toString(), e.getMessage());
            }
        }
        summary.setLoaded(ok.size());
        if (ok.isEmpty()) {
            throw new DatasetException("no readable image in " + folder.toAbsolutePath() + " (" + summary.skipped()
                    + " files skipped, e.g. " + summary.reasons().get(0) + ")");
        }
        if (summary.skipped() > 0) LOG.log(System.Logger.Level.WARNING, summary.toString());
        return new ImageFolderDataset(folder, options, ok, summary);
    }

    private static void list(Path dir, List<Path> out, Set<Path> seen) throws IOException {
        if (!seen.add(dir.toRealPath())) return; // symlink loops
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) entries.add(p);
        }
        entries.sort(Comparator.comparing(p -> p.getFileName().toString(), ImageFolderDataset::compareCodePoints));
        for (Path p : entries) {
            String name = p.getFileName().toString();
            int dot = name.lastIndexOf('.');
            if (dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT)) && !Files.isDirectory(p)) {
                out.add(p);
            } else if (Files.isDirectory(p)) {
                list(p, out, seen);
            }
        }
    }

    /** The reference's label: the file name up to the first '_' (the whole name if there is none). */
    static String className(Path file) {
        String name = file.getFileName().toString();
        int u = name.indexOf('_');
        return u < 0 ? name : name.substring(0, u);
    }

    /** Python compares strings by code point; String.compareTo compares UTF-16 units. */
    static int compareCodePoints(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    @Override
    public String name() {
        return folder.toString();
    }

    @Override
    public int size() {
        return files.size();
    }

    @Override
    public String describe(int i) {
        return files.get(i).toString();
    }

    public List<Path> files() {
        return files;
    }

    public boolean cached() {
        return cache != null;
    }

    @Override
    public byte[] pixels(int i) throws ImageDecodeException {
        if (cache != null) {
            byte[] hit = cache.get(i);
            if (hit != null) return hit;
        }
        synchronized (failed) {
            if (failed[i]) throw new ImageDecodeException("skipped earlier: " + describe(i));
        }
        byte[] px;
        try {
            Image8 im = ImageDecoder.read(files.get(i), options.maxPixels(), options.size());
            px = Preprocess.toCHW(im, options.size(), options.channels());
        } catch (ImageDecodeException e) {
            boolean first;
            synchronized (failed) {
                first = !failed[i];
                failed[i] = true;
            }
            if (first) {
                String rel = folder.relativize(files.get(i)).toString();
                summary.demote(rel, e.getMessage());
                LOG.log(System.Logger.Level.WARNING, "skipping " + rel + ": " + e.getMessage());
            }
            throw e;
        }
        if (cache != null) cache.set(i, px);
        return px;
    }

    /** Decodes every image now (filling the cache if on) so that the summary is final; returns it. */
    public LoadSummary scanAll() {
        for (int i = 0; i < size(); i++) {
            try {
                pixels(i);
            } catch (ImageDecodeException e) {
                // recorded in the summary
            }
        }
        return summary;
    }

    @Override
    public LoadSummary summary() {
        return summary;
    }
}
