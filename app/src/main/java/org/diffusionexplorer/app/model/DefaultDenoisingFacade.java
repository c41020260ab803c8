package org.diffusionexplorer.app.model;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.diffusionexplorer.diffusion.GaussianDiffusion;
import org.diffusionexplorer.diffusion.ReverseSampler;
import org.diffusionexplorer.diffusion.SamplingStep;
import org.diffusionexplorer.runtime.NativeRuntime;
import org.diffusionexplorer.train.RunException;
import org.diffusionexplorer.train.RunWeights;
import org.diffusionexplorer.train.Sampling;
import org.diffusionexplorer.unet.UNetModel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Opens models with the run tools of the model module and samples with its DDPM and DDIM samplers. */
public final class DefaultDenoisingFacade implements DenoisingFacade {
    private final List<ModelSource> live = new CopyOnWriteArrayList<>();
    private ModelSource source;
    private RunWeights weights;
    private UNetModel model;

    @Override
    public ModelSource defaultSource() {
        return new ModelSource.Bundled(ModelFiles.DEFAULT_BUNDLED);
    }

    @Override
    public List<ModelSource> sources() {
        List<ModelSource> out = new ArrayList<>();
        for (String name : ModelFiles.bundledNames()) out.add(new ModelSource.Bundled(name));
        if (out.isEmpty()) out.add(defaultSource()); // offered anyway: opening it then says what is missing
        out.addAll(live);
        return out;
    }

    @Override
    public void useWeights(String label, Supplier<RunWeights> weights) {
        live.removeIf(s -> s.label().equals(label));
        live.add(new ModelSource.Live(label, weights));
    }

    @Override
    public synchronized DenoiserInfo open(ModelSource s) throws IOException {
        NativeRuntime.configure();
        RunWeights w = read(s);
        UNetModel m = w.newModel(); // before closing the old one: a bad file leaves the open model usable
        if (model != null) model.close();
        model = m;
        weights = w;
        source = s;
        return info(s, w);
    }

    private static RunWeights read(ModelSource s) throws IOException {
        if (s instanceof ModelSource.Bundled b) return ModelFiles.bundled(b.name());
        if (s instanceof ModelSource.OnDisk d) return ModelFiles.read(d.path());
        RunWeights w = ((ModelSource.Live) s).weights().get();
        if (w == null) throw new RunException(s.label() + " has no weights yet");
        return w;
    }

    private static DenoiserInfo info(ModelSource s, RunWeights w) {
        var m = w.config().model();
        var d = w.config().diffusion();
        return new DenoiserInfo(s.label(), m.imageSize(), m.inChannels(), d.diffusionSteps(), d.noiseSchedule(), w.step(),
                w.weightsName(), m.numClasses());
    }

    @Override
    public synchronized boolean sample(DenoisingRequest r, Sink sink, BooleanSupplier stop) {
        if (model == null) throw new IllegalStateException("no model is open");
        if (source instanceof ModelSource.Live l) { // the newest weights of a model still in training
            RunWeights w = l.weights().get();
            if (w != null) {
                model.loadStateDict(w.weights());
                weights = w;
            }
        }
        Sampling.Options o = new Sampling.Options(r.sampler() == DenoisingRequest.Sampler.DDIM ? "ddim" : "ddpm",
                r.respacing(), r.eta(), r.count(), r.seed(), true);
        ReverseSampler sampler = Sampling.sampler(weights.config().diffusion(), o);
        GaussianDiffusion d = sampler.diffusion();
        int size = model.config().imageSize(), ch = model.config().inChannels();
        long[] labels = Sampling.labels(model, r.count(), r.label());
        INDArray y = labels == null ? null : Nd4j.createFromArray(labels);
        Iterator<SamplingStep> it = sampler.progressive(model::forward, new long[] {r.count(), ch, size, size}, y, r.seed());
        int total = d.numTimesteps;
        boolean[] keep = FramePicker.keep(total, MAX_FRAMES);
        double scale = d.rescaleTimesteps ? 1000.0 / d.originalNumSteps : 1.0;
        SamplingStep last = null;
        while (it.hasNext()) {
            if (stop.getAsBoolean()) return false;
            last = it.next();
            if (keep[last.index()]) {
                int t = last.originalT();
                sink.frame(new DenoiseFrame(last.index(), total, t, (int) Math.round(t * scale), images(last.x()),
                        images(last.predXstart())));
            }
            sink.progress(last.index() + 1, total);
        }
        List<ImageData> done = images(last.sample());
        sink.frame(new DenoiseFrame(total, total, 0, 0, done, done));
        return true;
    }

    /** A batch [N, C, H, W] as N plain images. */
    static List<ImageData> images(INDArray batch) {
        int n = (int) batch.size(0), c = (int) batch.size(1), h = (int) batch.size(2), w = (int) batch.size(3);
        float[] all = batch.castTo(DataType.FLOAT).dup('c').data().asFloat();
        List<ImageData> out = new ArrayList<>(n);
        int per = c * h * w;
        for (int i = 0; i < n; i++) out.add(new ImageData(c, h, w, java.util.Arrays.copyOfRange(all, i * per, (i + 1) * per)));
        return out;
    }
}
