package org.diffusionexplorer.app.architecture;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;
import org.diffusionexplorer.app.view.ConfigText;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetConfig;

/**
 * A form over every UNetConfig field, under the reference's argument names. Apply builds a new
 * config; one the UNet cannot work with is refused with UNetConfig's own reason, shown under the form.
 */
public final class ConfigEditor extends VBox {
    private final Map<String, TextField> fields = new LinkedHashMap<>();
    private final CheckBox scaleShift = new CheckBox("use_scale_shift_norm");
    private final CheckBox convResample = new CheckBox("conv_resample");
    private final Label error = new Label();
    private final Consumer<UNetConfig> onApply;

    public ConfigEditor(Consumer<UNetConfig> onApply) {
        this.onApply = onApply;
        setId("config-editor");
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(6);
        String[][] rows = {
            {"image_size", "side of the square images in pixels"},
            {"in_channels", "1 for grey, 3 for RGB"},
            {"model_channels", "C, the width of the first level (a multiple of 32: GroupNorm uses 32 groups)"},
            {"out_channels", "in_channels, or twice that when the variance is learned"},
            {"num_res_blocks", "ResBlocks per level"},
            {"channel_mult", "width of each level as a multiple of C, e.g. 1,2,2"},
            {"attention_resolutions", "downsample factors with attention, e.g. 2,4 (empty for none)"},
            {"num_heads", "attention heads"},
            {"num_heads_upsample", "heads in the output blocks, -1 = num_heads"},
            {"dropout", "dropout probability in the ResBlocks"},
            {"num_classes", "0 for an unconditional model"},
        };
        int r = 0;
        for (String[] row : rows) {
            Label l = new Label(row[0]);
            TextField f = new TextField();
            f.setId("cfg-" + row[0]);
            f.setPrefColumnCount(8);
            f.setTooltip(new Tooltip(row[1]));
            f.setOnAction(e -> apply());
            fields.put(row[0], f);
            grid.addRow(r++, l, f);
        }
        scaleShift.setId("cfg-use_scale_shift_norm");
        convResample.setId("cfg-conv_resample");
        grid.add(scaleShift, 0, r++, 2, 1);
        grid.add(convResample, 0, r, 2, 1);
        Button apply = new Button("Apply config");
        apply.setId("config-apply");
        apply.setDefaultButton(false);
        apply.setOnAction(e -> apply());
        error.setId("config-error");
        error.getStyleClass().add("config-error");
        error.setWrapText(true);
        error.setMaxWidth(330);
        getChildren().addAll(grid, apply, error);
        setSpacing(10);
        setPadding(new Insets(8));
    }

    /** Shows a config in the form (after a preset was chosen). */
    public void show(UNetConfig c) {
        set("image_size", c.imageSize());
        set("in_channels", c.inChannels());
        set("model_channels", c.modelChannels());
        set("out_channels", c.outChannels());
        set("num_res_blocks", c.numResBlocks());
        fields.get("channel_mult").setText(join(c.channelMult()));
        fields.get("attention_resolutions").setText(join(c.attentionResolutions()));
        set("num_heads", c.numHeads());
        set("num_heads_upsample", c.numHeadsUpsample());
        fields.get("dropout").setText(String.valueOf(c.dropout()));
        set("num_classes", c.numClasses());
        scaleShift.setSelected(c.useScaleShiftNorm());
        convResample.setSelected(c.convResample());
        error.setText("");
    }

    /** Builds the config from the form; on success hands it on, else shows why not. */
    public void apply() {
        try {
            UNetConfig c = new UNetConfig(integer("image_size"), integer("in_channels"), integer("model_channels"),
                    integer("out_channels"), integer("num_res_blocks"), list("attention_resolutions"), number("dropout"),
                    list("channel_mult"), convResample.isSelected(), integer("num_classes"), integer("num_heads"),
                    integer("num_heads_upsample"), scaleShift.isSelected());
            error.setText("");
            onApply.accept(c);
        } catch (InvalidConfigException e) {
            error.setText("Not applied - " + e.getMessage());
        }
    }

    private void set(String key, int v) {
        fields.get(key).setText(String.valueOf(v));
    }

    private int integer(String key) {
        return ConfigText.integer(key, fields.get(key).getText());
    }

    private double number(String key) {
        return ConfigText.decimal(key, fields.get(key).getText());
    }

    private List<Integer> list(String key) {
        List<Integer> out = new ArrayList<>();
        for (String s : fields.get(key).getText().split("[,\\s]+")) {
            if (s.isBlank()) continue;
            try {
                out.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new InvalidConfigException(key, "must list whole numbers separated by commas, got '" + s + "'");
            }
        }
        return out;
    }

    private static String join(List<Integer> v) {
        return String.join(",", v.stream().map(String::valueOf).toList());
    }
}
