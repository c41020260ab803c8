package org.diffusionexplorer.unet;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.util.List;
import org.diffusionexplorer.testutil.Golden;
import org.junit.jupiter.api.Test;

class UNetConfigTest {

    @Test
    void parsesGoldenConfigIntoG1Preset() throws Exception {
        ObjectNode root = (ObjectNode) new ObjectMapper().readTree(Files.readString(Golden.file("g1_config.json")));
        ObjectNode kw = (ObjectNode) root.get("unet_kwargs");
        kw.put("image_size", root.get("image_size").asInt());
        assertEquals(UNetPresets.g1(), UNetConfig.fromJson(kw));
    }

    @Test
    void jsonRoundTrip() {
        for (UNetConfig c : UNetPresets.all().values()) assertEquals(c, parse(c.toJson()));
    }

    @Test
    void defaultsFollowTheReference() {
        UNetConfig c = parse("{\"image_size\":64,\"in_channels\":3,\"model_channels\":32,\"num_res_blocks\":1}");
        assertEquals(List.of(1, 2, 4, 8), c.channelMult());
        assertEquals(3, c.outChannels());
        assertEquals(1, c.numHeads());
        assertTrue(c.convResample());
        assertFalse(c.classConditional());
        assertEquals(1, c.headsUpsample());
    }

    private static UNetConfig parse(String json) {
        return UNetConfig.fromJson(ConfigJson.parseObject(json));
    }

    private static String field(String json) {
        return assertThrows(InvalidConfigException.class, () -> parse(json)).field();
    }

    @Test
    void rejectsEveryInvalidFieldByName() {
        String base = "\"image_size\":32,\"in_channels\":1,\"model_channels\":32,\"num_res_blocks\":1,\"channel_mult\":[1,2]";
        assertEquals("model_channels", field("{\"image_size\":32,\"in_channels\":1,\"model_channels\":48,\"num_res_blocks\":1}"));
        assertEquals("image_size", field("{" + base.replace("\"image_size\":32", "\"image_size\":33") + "}"));
        assertEquals("num_heads", field("{" + base + ",\"attention_resolutions\":[2],\"num_heads\":5}"));
        assertEquals("num_heads_upsample", field("{" + base + ",\"attention_resolutions\":[1],\"num_heads_upsample\":3}"));
        assertEquals("attention_resolutions", field("{" + base + ",\"attention_resolutions\":[8]}"));
        assertEquals("dropout", field("{" + base + ",\"dropout\":1.5}"));
        assertEquals("bogus", field("{" + base + ",\"bogus\":1}"));
        assertEquals("dims", field("{" + base + ",\"dims\":3}"));
        assertEquals("use_checkpoint", field("{" + base + ",\"use_checkpoint\":true}"));
        assertEquals("num_res_blocks", field("{" + base.replace("\"num_res_blocks\":1", "\"num_res_blocks\":\"two\"") + "}"));
        assertEquals("in_channels", field("{\"image_size\":32,\"model_channels\":32,\"num_res_blocks\":1}"));
        assertEquals("channel_mult", field("{" + base.replace("[1,2]", "[]") + "}"));
        assertEquals("config", field("{not json"));
        // upper bounds: a mistyped value must not become millions of blocks or terabytes of weights
        assertEquals("num_res_blocks", field("{" + base.replace("\"num_res_blocks\":1", "\"num_res_blocks\":2000000000") + "}"));
        assertEquals("image_size", field("{" + base.replace("\"image_size\":32", "\"image_size\":1048576") + "}"));
        assertEquals("model_channels", field("{" + base.replace("\"model_channels\":32", "\"model_channels\":1048576") + "}"));
        assertEquals("channel_mult", field("{" + base.replace("[1,2]", "[1,100000]") + "}"));
        assertEquals("num_classes", field("{" + base + ",\"num_classes\":2000000000}"));
        assertEquals("image_size", field("{" + base.replace("\"image_size\":32", "\"image_size\":1e300") + "}"));
        // accepted as in the reference's kwargs
        parse("{" + base + ",\"dims\":2,\"use_checkpoint\":false,\"num_classes\":null}");
    }
}
