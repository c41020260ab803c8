package org.diffusionexplorer.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.unet.UNetPresets;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Manual measurement harness (not a test): java ... ThreadProbe A 32 10 */
public final class ThreadProbe {
    public static void main(String[] a) throws Exception {
        NativeRuntime.configure();
        System.out.println("threads: " + NativeRuntime.describe());
        var cfg = UNetPresets.byName(a[0]);
        int batch = Integer.parseInt(a[1]), iters = Integer.parseInt(a[2]);
        boolean doForward = !Boolean.getBoolean("noforward");
        StandInUNet net = new StandInUNet(cfg, 1, DataType.FLOAT);
        Trainer.addMseLoss(net.sd, net.output, "target");
        Trainer tr = new Trainer(net.sd, "loss", new AdamW(net.paramArrays(), 1e-4), List.of(), Trainer.Accumulation.SUM);
        Nd4j.getRandom().setSeed(0);
        INDArray x = Nd4j.randn(DataType.FLOAT, batch, cfg.inChannels(), cfg.imageSize(), cfg.imageSize());
        INDArray t = Nd4j.rand(DataType.FLOAT, batch).muli(1000);
        INDArray eps = Nd4j.randn(DataType.FLOAT, batch, cfg.outChannels(), cfg.imageSize(), cfg.imageSize());
        Map<String, INDArray> ph = Map.of("x", x, "t", t, "target", eps);
        Map<String, INDArray> fph = Map.of("x", x, "t", t);
        List<Double> fw = new ArrayList<>(), st = new ArrayList<>();
        for (int i = 0; i < iters + 2; i++) {
            if (doForward) {
                long t0 = System.nanoTime();
                INDArray o = tr.forward(fph, "output");
                long t1 = System.nanoTime();
                o.close();
                if (i >= 2) fw.add((t1 - t0) / 1e6);
            }
            long t2 = System.nanoTime();
            var r = tr.step(ph, 0);
            long t3 = System.nanoTime();
            if (i >= 2) st.add((t3 - t2) / 1e6);
            if (Boolean.getBoolean("gc")) System.gc();
            System.out.printf("iter %d fwd %s step %.0f loss %.4f rss %s tasks %d%n", i,
                    fw.isEmpty() ? "-" : String.format("%.0f", fw.get(fw.size() - 1)), (t3 - t2) / 1e6, r.loss(), rss() + " javacpp=" + (org.bytedeco.javacpp.Pointer.totalBytes() >> 20) + "MB",
                    Files.list(Path.of("/proc/self/task")).count());
        }
        System.out.printf("RESULT threads=%s mode=%s fwd_median=%.0f step_median=%.0f%n",
                System.getProperty("diffusion.threads"), System.getProperty("diffusion.threadmode"), median(fw), median(st));
    }

    static double median(List<Double> v) {
        if (v.isEmpty()) return Double.NaN;
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.get(s.size() / 2);
    }

    static String rss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith("VmRSS")) return l.replaceAll("\\s+", " ").substring(7);
        return "?";
    }
}
