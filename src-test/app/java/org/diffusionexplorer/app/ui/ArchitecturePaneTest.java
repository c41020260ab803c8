package org.diffusionexplorer.app.ui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javafx.scene.Group;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.diffusionexplorer.app.ExplorerApp;
import org.diffusionexplorer.app.architecture.ArchitecturePane;
import org.diffusionexplorer.app.testutil.GoldenDir;
import org.diffusionexplorer.io.NpyArray;
import org.diffusionexplorer.io.Npz;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

@ExtendWith(ApplicationExtension.class)
class ArchitecturePaneTest {
    private ExplorerApp app;

    @Start
    void start(Stage stage) {
        app = ExplorerFixture.start(stage);
    }

    private ArchitecturePane pane() {
        return (ArchitecturePane) app.views().get(1);
    }

    private void chooseG1(FxRobot robot) {
        robot.clickOn("#nav-architecture");
        robot.clickOn("#preset-combo");
        robot.clickOn("g1 (golden test model, 16x16)");
        ExplorerFixture.waitUntil("the g1 diagram", 10, () -> UNetPresets.g1().equals(pane().configProperty().get()));
    }

    @Test
    void g1BlockShapesEqualTheGoldenFeatureShapes(FxRobot robot) throws IOException {
        chooseG1(robot);
        Map<String, NpyArray> golden = Npz.read(GoldenDir.file("g1_features.npz"));
        Set<String> blocks = golden.keySet().stream().filter(k -> k.startsWith("down_") || k.startsWith("up_") || k.equals("middle"))
                .collect(Collectors.toSet());
        assertEquals(9, blocks.size(), "g1 has 4 input blocks, the middle and 4 output blocks");
        for (String id : blocks) {
            long[] s = golden.get(id).shape();
            String shown = robot.lookup("#shape-" + id).queryAs(Label.class).getText();
            assertEquals("[" + s[0] + ", " + s[1] + ", " + s[2] + ", " + s[3] + "]", shown, id);
        }
        // Nothing drawn that the reference does not have.
        assertEquals(9, robot.lookup(".block").queryAll().size());
    }

    @Test
    void skipArrowsPairInputAndOutputBlocksInStackOrder(FxRobot robot) throws IOException {
        chooseG1(robot);
        Map<String, NpyArray> golden = Npz.read(GoldenDir.file("g1_features.npz"));
        Map<String, String> pairs = new TreeMap<>();
        Map<String, long[]> channels = new HashMap<>();
        for (Node n : robot.lookup(n -> n.getId() != null && n.getId().startsWith("skip-")).queryAll()) {
            Group g = (Group) n;
            pairs.put((String) g.getProperties().get("to"), (String) g.getProperties().get("from"));
            channels.put((String) g.getProperties().get("to"), (long[]) g.getProperties().get("channels"));
        }
        // The reference pushes every input block's output on a stack and each output block pops one:
        // output block j concatenates input block N-1-j.
        assertEquals(Map.of("up_00", "down_03", "up_01", "down_02", "up_02", "down_01", "up_03", "down_00"), pairs);
        String[] before = {"middle", "up_00", "up_01", "up_02"};
        for (int j = 0; j < 4; j++) {
            String up = "up_0" + j;
            long carried = golden.get(before[j]).shape()[1];
            long skip = golden.get(pairs.get(up)).shape()[1];
            assertArrayEquals(new long[] {carried, skip}, channels.get(up), up + " concatenates " + before[j] + " with " + pairs.get(up));
        }
    }

    @Test
    void anInvalidConfigIsRefusedWithTheReason(FxRobot robot) {
        chooseG1(robot);
        robot.clickOn("#tab-config");
        robot.doubleClickOn("#cfg-model_channels").eraseText(4).write("48");
        robot.clickOn("#config-apply");
        String error = robot.lookup("#config-error").queryAs(Label.class).getText();
        assertTrue(error.contains("model_channels") && error.contains("multiple of 32"), error);
        assertEquals(UNetPresets.g1(), pane().configProperty().get(), "the old config stays");

        robot.doubleClickOn("#cfg-model_channels").eraseText(4).write("64");
        robot.clickOn("#config-apply");
        assertEquals("", robot.lookup("#config-error").queryAs(Label.class).getText());
        assertEquals(64, pane().configProperty().get().modelChannels());
        assertEquals("[1, 64, 16, 16]", robot.lookup("#shape-down_00").queryAs(Label.class).getText());
    }

    @Test
    void clickingABlockShowsItsLayersAndFeatureMaps(FxRobot robot) throws IOException {
        chooseG1(robot);
        robot.clickOn("#block-up_00");
        String layers = robot.lookup("#block-layers").queryAs(javafx.scene.layout.VBox.class).getChildren().stream()
                .map(n -> ((Label) ((javafx.scene.layout.VBox) n).getChildren().get(0)).getText()).collect(Collectors.joining("\n"));
        for (String name : new String[] {"in_layers", "emb_layers", "out_layers", "skip_connection", "qkv", "proj_out"}) {
            assertTrue(layers.contains(name), name + " in\n" + layers);
        }
        assertTrue(robot.lookup("#block-title").queryAs(Label.class).getText().startsWith("up_00 (output_blocks.0)"));
        // Feature maps come from a real UNet forward pass on a background task.
        ExplorerFixture.waitUntil("feature-map thumbnails", 90, () -> pane().details().thumbnailCount() > 0);
        assertEquals(16, pane().details().thumbnailCount(), "the first 16 of up_00's 64 channels");

        Path png = Files.createTempFile("unet", ".png");
        robot.interact(() -> {
            try {
                pane().exportPng(png);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
        Files.delete(png);
    }

    @Test
    void everyBlockShowsItsWholeKindInBothModes(FxRobot robot) {
        robot.clickOn("#nav-architecture"); // the default model: its output blocks are "ResBlock+attn+Upsample"
        try {
            for (boolean classroom : new boolean[] {false, true}) {
                robot.interact(() -> app.context().settings().classroomProperty().set(classroom));
                robot.interact(() -> {}); // a pulse: CSS and layout with the mode's type size
                for (Node n : robot.lookup(".block-kind").queryAll()) {
                    Label kind = (Label) n;
                    String drawn = ExplorerFixture.drawnText(kind); // ends in "..." when the block is too narrow
                    assertEquals(kind.getText(), drawn, (classroom ? "classroom mode: " : "") + kind.getText() + " drawn as " + drawn);
                }
            }
        } finally {
            robot.interact(() -> app.context().settings().classroomProperty().set(false));
        }
    }
}
