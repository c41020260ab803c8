package org.diffusionexplorer.app.architecture;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.SnapshotParameters;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Slider;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.image.ImageView;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.concurrent.Background;
import org.diffusionexplorer.app.view.ImageData;
import org.diffusionexplorer.app.shell.AppContext;
import org.diffusionexplorer.app.shell.ExplorerView;
import org.diffusionexplorer.app.shell.MessageBar;
import org.diffusionexplorer.app.view.Images;
import org.diffusionexplorer.app.view.PngWriter;
import org.diffusionexplorer.app.view.Views;
import org.diffusionexplorer.unet.UNetConfig;

/** Pane 2: the UNet drawn block by block for a preset or custom config, block details and feature maps. */
public final class ArchitecturePane extends ExplorerView {
    /** The sidebar's name for this pane and its stable key ({@link ExplorerView}). */
    public static final String TITLE = "UNet architecture", KEY = "architecture";
    private static final String CUSTOM = "Custom (from the form)";
    private final AppContext ctx;
    private final UntrainedUNet unet = new UntrainedUNet();
    private final UNetDiagram diagram = new UNetDiagram();
    private final BlockDetails details = new BlockDetails();
    private final AttentionView attention = new AttentionView();
    private final ConfigEditor editor;
    private final ComboBox<String> presets = new ComboBox<>();
    private final Label total = new Label();
    private final Slider featureT = new Slider(0, 999, 500);
    private final Spinner<Integer> digit = new Spinner<>(0, 8999, 0);
    private final ImageView inputView = Views.pixelView(64);
    private final ObjectProperty<UNetConfig> config = new SimpleObjectProperty<>();
    private final ObjectProperty<Architecture> architecture = new SimpleObjectProperty<>();
    private FeatureMaps maps;
    private int requestId;
    private javafx.concurrent.Task<AttentionMaps> attentionTask;

    public ArchitecturePane(AppContext ctx) {
        super(TITLE, KEY);
        this.ctx = ctx;
        editor = new ConfigEditor(c -> {
            presets.setValue(CUSTOM);
            config.set(c);
        });
        root.setTop(top());
        ScrollPane scroll = new ScrollPane(diagram);
        scroll.setId("diagram-scroll");
        scroll.setFitToWidth(false);
        VBox diagramCard = Views.captioned("The U, block by block", scroll,
                "Shapes are [batch, channels, height, width]; blocks grow taller with resolution and wider with channels. "
                        + "Purple arrows: each input block's output is kept and concatenated to an output block's input (channel counts on the arrow). Click a block.");
        VBox.setVgrow(scroll, Priority.ALWAYS);
        root.setCenter(diagramCard);
        root.setRight(side());
        BorderPane.setMargin(diagramCard, new Insets(0, 12, 0, 0));

        config.addListener((o, was, c) -> redraw(c));
        diagram.selectedBlockProperty().addListener((o, was, b) -> {
            details.setBlock(b);
            attention.setBlock(b == null ? null : b.kind());
            if (b != null) requestFeatureMaps();
            if (b != null) requestAttention();
        });
        featureT.valueChangingProperty().addListener((o, was, changing) -> {
            if (!changing) refresh();
        });
        featureT.valueProperty().addListener((o, a, b) -> {
            if (!featureT.isValueChanging()) refresh();
        });
        digit.valueProperty().addListener((o, a, b) -> refresh());
        attention.cancelButton().setOnAction(e -> cancelAttention());
        attention.exportButton().setOnAction(e -> Views.exportPng(root, "the attention maps", "attention.png", attention::exportPng,
                ctx.messages()::showInfo, ctx.messages()::showError));
        presets.setValue(AppPresets.all().keySet().iterator().next());
    }

    private Node top() {
        presets.setId("preset-combo");
        presets.getItems().addAll(AppPresets.all().keySet());
        presets.getItems().add(CUSTOM);
        presets.valueProperty().addListener((o, was, name) -> {
            UNetConfig c = AppPresets.all().get(name);
            if (c != null) {
                editor.show(c);
                config.set(c);
            }
        });
        total.setId("arch-total");
        Button export = new Button("Export diagram as PNG...");
        export.setId("export-png");
        export.setOnAction(e -> Views.exportPng(root, "the UNet diagram", "unet-diagram.png", this::exportPng, ctx.messages()::showInfo,
                ctx.messages()::showError));
        javafx.scene.layout.FlowPane row = Views.controlRow(new Label("Model"), presets, total, export);
        VBox box = new VBox(8, Views.heading("UNet architecture: what happens to an image inside the denoiser"), row);
        box.setPadding(new Insets(0, 0, 10, 0));
        return box;
    }

    private Node side() {
        featureT.setId("fm-t");
        featureT.setShowTickLabels(true);
        featureT.setMajorTickUnit(250);
        digit.setId("fm-image");
        digit.setEditable(true);
        digit.setPrefWidth(100);
        Label tValue = new Label();
        tValue.textProperty().bind(featureT.valueProperty().asString("t = %.0f"));
        HBox tRow = new HBox(8, new Label("Timestep"), featureT, tValue);
        tRow.setAlignment(Pos.CENTER_LEFT);
        HBox imgRow = new HBox(8, new Label("MNIST image #"), digit, inputView);
        imgRow.setAlignment(Pos.CENTER_LEFT);
        // attention first: for an attention block it is what to look at, the layer list follows
        VBox blockTab = new VBox(10, imgRow, tRow, attention, details);
        blockTab.setPadding(new Insets(8));
        ScrollPane blockScroll = new ScrollPane(blockTab);
        blockScroll.setFitToWidth(true);
        ScrollPane editorScroll = new ScrollPane(editor);
        editorScroll.setFitToWidth(true);
        Tab blockT = new Tab("Selected block", blockScroll);
        blockT.setId("tab-block");
        Tab cfgT = new Tab("Custom config", editorScroll);
        cfgT.setId("tab-config");
        TabPane tabs = new TabPane(blockT, cfgT);
        tabs.setId("arch-tabs");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        tabs.setPrefWidth(380);
        tabs.setMinWidth(340);
        return tabs;
    }

    private void redraw(UNetConfig c) {
        try {
            Architecture a = ArchitectureAdapter.describe(c, 1);
            architecture.set(a);
            maps = null;
            details.setFeatureMaps(null);
            diagram.setArchitecture(a);
            total.setText(String.format("%,d parameters in %d tensors", a.paramCount(), a.params().size()));
        } catch (RuntimeException e) {
            ctx.messages().showError(MessageBar.describe(e));
        }
    }

    private void refresh() {
        requestFeatureMaps();
        requestAttention();
    }

    /** The selected attention block's weights for the chosen image and t, on a background task (Cancel stops waiting for it). */
    private void requestAttention() {
        UNetConfig c = config.get();
        DiagramBlock b = diagram.selectedBlockProperty().get();
        if (c == null || b == null || !b.kind().contains("attention")) return;
        cancelAttention();
        int t = (int) Math.round(featureT.getValue());
        int index = digit.getValue();
        attention.clear("Computing where every position attends at t = " + t + " ...");
        javafx.concurrent.Task<AttentionMaps> task = Background.task("Computing attention weights", () -> {
            int ch = c.inChannels() == 3 ? 3 : 1;
            AttentionMaps m = unet.attention(c, ctx.datasetImage("mnist", index, c.imageSize(), ch), t);
            ctx.nativesLoaded();
            return m;
        });
        attentionTask = task;
        attention.computingProperty().set(true);
        task.stateProperty().addListener((o, was, now) -> {
            if (task != attentionTask || !(now == javafx.concurrent.Worker.State.SUCCEEDED
                    || now == javafx.concurrent.Worker.State.FAILED || now == javafx.concurrent.Worker.State.CANCELLED)) return;
            attention.computingProperty().set(false);
            if (now == javafx.concurrent.Worker.State.FAILED) attention.clear("No attention weights: " + MessageBar.describe(task.getException()));
            if (now == javafx.concurrent.Worker.State.CANCELLED) attention.clear("Cancelled.");
        });
        ctx.background().submit(task, m -> {
            if (task != attentionTask || !c.equals(config.get()) || diagram.selectedBlockProperty().get() != b) return; // a newer request won
            attention.setMaps(m, b.prefix());
        });
    }

    /** Stops waiting for the attention weights (the forward pass under way finishes, its result is dropped). */
    private void cancelAttention() {
        if (attentionTask != null && attentionTask.isRunning()) attentionTask.cancel(false);
    }

    public AttentionView attention() {
        return attention;
    }

    /** Selects a block by id ("down_03", "middle", ...) as a click on it would (blocks of a large model may be scrolled away). */
    public void selectBlock(String id) {
        diagram.selectedBlockProperty().set(architecture.get().block(id));
    }

    /** Feature maps of every block for the chosen image and t, computed once and shown for whichever block is selected. */
    private void requestFeatureMaps() {
        UNetConfig c = config.get();
        if (c == null || diagram.selectedBlockProperty().get() == null) return;
        int t = (int) Math.round(featureT.getValue());
        int index = digit.getValue();
        if (maps != null && maps.timestep() == t && maps.byBlock().containsKey("image#" + index)) {
            details.setFeatureMaps(maps);
            return;
        }
        int id = ++requestId;
        details.setMapsNote("Computing the feature maps of every block at t = " + t + " ...");
        javafx.concurrent.Task<FeatureMaps> task = Background.task("Computing feature maps", () -> {
            int ch = c.inChannels() == 3 ? 3 : 1;
            ImageData img = ctx.datasetImage("mnist", index, c.imageSize(), ch);
            FeatureMaps m = unet.featureMaps(c, img, t);
            ctx.nativesLoaded();
            Map<String, ImageData> all = new java.util.LinkedHashMap<>(m.byBlock());
            all.put("image#" + index, img);
            return new FeatureMaps(t, all);
        });
        // The message bar explains the failure; the note must not keep saying "Computing".
        task.setOnFailed(e -> {
            if (id == requestId) details.setMapsNote("No feature maps: " + MessageBar.describe(task.getException()));
        });
        ctx.background().submit(task, m -> {
            if (id != requestId || !c.equals(config.get())) return; // a newer request won
            maps = m;
            inputView.setImage(Images.fromModel(m.byBlock().get("image#" + index)));
            details.setFeatureMaps(m);
        });
    }

    /** Writes the whole diagram (not only the visible part) as a PNG. */
    public void exportPng(Path file) throws IOException {
        WritableImage im = diagram.snapshot(new SnapshotParameters(), null);
        PngWriter.write(im, file);
    }

    public ObjectProperty<UNetConfig> configProperty() {
        return config;
    }

    public BlockDetails details() {
        return details;
    }
}
