import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Splits the shaded explorer jar for an installer image: the native libraries the jar carries for
 * the build platform (ND4J, OpenBLAS, JavaCPP, JavaFX) are written ONCE, flat, into a natives folder
 * and left out of the copied jar; OpenBLAS's C headers and CMake/pkg-config files (build-time only)
 * are dropped. The installer then starts the app with
 * {@code -Djava.library.path=<natives> -Dorg.bytedeco.javacpp.pathsFirst=true}, so JavaCPP loads the
 * libraries where they lie instead of copying about 430 MB into ~/.javacpp/cache on first start, and
 * JavaFX finds its own there instead of copying them into ~/.openjfx/cache.
 *
 * <p>One library is needed under a second name: OpenBLAS's presets preload {@code openblas@.0#openblas_nolapack@.0},
 * i.e. JavaCPP extracts libopenblas.so.0 a second time as libopenblas_nolapack.so.0, the name
 * libjniopenblas_nolapack.so is linked against. Here the second name is a symbolic link (a copy where
 * links cannot be made, e.g. Windows without developer mode).
 *
 * <p>bytedeco's oneDNN brings a second OpenMP runtime, which is left out ({@link #SECOND_OPENMP}).
 *
 * <p>JNA's libjnidispatch builds (com/sun/jna/...) stay in the jar: they are small, cover several
 * platforms, and JNA picks its own. Two entries with the same file name but different bytes would
 * collide in the flat folder: the tool stops with an error instead.
 *
 * <p>Usage (JDK 11+ runs the source directly):
 * {@code java packaging/NativeLayout.java app/target/diffusion-explorer.jar OUT.jar NATIVES_DIR}
 */
public final class NativeLayout {
    /** lib*.so, lib*.so.5, *.dll, *.dylib, *.jnilib. */
    private static final Pattern NATIVE = Pattern.compile(".*(\\.so(\\.[0-9]+)*|\\.dll|\\.dylib|\\.jnilib)$");
    /** Where the build platform's natives sit in the shaded jar: JavaCPP presets (org/bytedeco, org/nd4j), JavaFX (root). */
    private static final Pattern OWNED = Pattern.compile("^(org/bytedeco/|org/nd4j/|[^/]+$).*");
    /** OpenBLAS ships headers and build files for compiling against it; nothing reads them at run time. */
    private static final Pattern BUILD_ONLY = Pattern.compile("^org/bytedeco/openblas/[^/]+/(include|lib/cmake|lib/pkgconfig)/.*");

    /**
     * bytedeco's oneDNN (exec.OneDnnConvolution) carries its own OpenMP runtime under the name libnd4j's
     * has (on Linux, libgomp.so.1). One runtime serves both: the process loads libnd4j's first and oneDNN is linked to it by that
     * name, so the thread count set for libnd4j holds for oneDNN too. The second copy is left out.
     */
    private static final Pattern SECOND_OPENMP = Pattern.compile("^org/bytedeco/dnnl/[^/]+/(libgomp[^/]*|libiomp5[^/]*|vcomp[^/]*)$");

    /** JavaCPP's "#" renames (file in the jar -> the name dependants are linked against), per platform style. */
    private static final Map<String, String> SECOND_NAMES = Map.of(
            "libopenblas.so.0", "libopenblas_nolapack.so.0",
            "libopenblas.0.dylib", "libopenblas_nolapack.0.dylib",
            "libopenblas.dll", "libopenblas_nolapack.dll");

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java NativeLayout.java IN.jar OUT.jar NATIVES_DIR");
            System.exit(2);
        }
        Path in = Path.of(args[0]), out = Path.of(args[1]), natives = Path.of(args[2]);
        Files.createDirectories(natives);
        Map<String, Long> written = new HashMap<>();
        long nativeBytes = 0, droppedBytes = 0;
        int nativeCount = 0;
        try (ZipFile zip = new ZipFile(in.toFile());
             ZipOutputStream zout = new ZipOutputStream(Files.newOutputStream(out))) {
            java.util.Set<String> nd4jNatives = new java.util.HashSet<>();
            for (Enumeration<? extends ZipEntry> all = zip.entries(); all.hasMoreElements(); ) {
                String n = all.nextElement().getName();
                if (n.startsWith("org/nd4j/")) nd4jNatives.add(n.substring(n.lastIndexOf('/') + 1));
            }
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                String name = e.getName();
                if (!e.isDirectory() && BUILD_ONLY.matcher(name).matches()) {
                    droppedBytes += e.getSize();
                    continue;
                }
                if (!e.isDirectory() && NATIVE.matcher(name).matches() && OWNED.matcher(name).matches()) {
                    String file = name.substring(name.lastIndexOf('/') + 1);
                    if (SECOND_OPENMP.matcher(name).matches() && nd4jNatives.contains(file)) {
                        droppedBytes += e.getSize();
                        continue;
                    }
                    Long before = written.putIfAbsent(file, e.getSize());
                    if (before != null) {
                        if (before != e.getSize()) throw new IOException("two different natives named " + file + " (" + name + ")");
                        continue; // the same library twice: once is enough
                    }
                    Path target = natives.resolve(file);
                    try (InputStream s = zip.getInputStream(e)) {
                        Files.copy(s, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                    nativeBytes += e.getSize();
                    nativeCount++;
                    continue;
                }
                ZipEntry copy = new ZipEntry(name);
                copy.setTime(e.getTime());
                zout.putNextEntry(copy);
                if (!e.isDirectory()) {
                    try (InputStream s = zip.getInputStream(e)) {
                        s.transferTo(zout);
                    }
                }
                zout.closeEntry();
            }
        }
        for (Map.Entry<String, String> r : SECOND_NAMES.entrySet()) {
            Path target = natives.resolve(r.getKey()), link = natives.resolve(r.getValue());
            if (!Files.exists(target) || written.containsKey(r.getValue())) continue;
            Files.deleteIfExists(link);
            try {
                Files.createSymbolicLink(link, Path.of(r.getKey()));
            } catch (IOException | UnsupportedOperationException e) {
                Files.copy(target, link);
            }
        }
        System.out.printf("%d native libraries (%.1f MB) -> %s; left out (build-only files, a second OpenMP runtime): %.1f MB; jar without them: %.1f MB%n",
                nativeCount, nativeBytes / 1e6, natives, droppedBytes / 1e6, Files.size(out) / 1e6);
    }

    private NativeLayout() {}
}
