package org.diffusionexplorer.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.diffusionexplorer.unet.ConfigJson;
import org.diffusionexplorer.unet.InvalidConfigException;
import org.diffusionexplorer.unet.UNetConfig;
import org.diffusionexplorer.unet.UNetPresets;
import org.junit.jupiter.api.Test;

/**
 * The config parsers (RunConfig, UNetConfig, the reference's flat flags) on random text and on valid
 * configs with one field replaced by a hostile value (huge, negative, fractional, wrong type, deeply
 * nested), removed, or added. Each case either parses or throws an {@link InvalidConfigException}
 * naming a field; no other exception, no case slower than 5 s (a hang), no large allocation.
 */
class ConfigFuzzTest {
    static final long SEED = 61127L;
    static final long ALLOCATION_LIMIT = 32L << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    static void check(String label, String text, Function<String, Object> parser) {
        long t0 = System.nanoTime(), before = THREADS.getCurrentThreadAllocatedBytes();
        try {
            parser.apply(text);
        } catch (InvalidConfigException e) {
            assertTrue(e.field() != null && !e.field().isBlank() && e.getMessage().length() > e.field().length() + 2,
                    label + ": a message naming the field: " + e.getMessage());
        } catch (Throwable t) {
            throw new AssertionError(label + ": unexpected " + t + "\n" + abbreviate(text), t);
        }
        long ms = (System.nanoTime() - t0) / 1_000_000, allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertTrue(ms < 30000, label + ": took " + ms + " ms\n" + abbreviate(text));
        assertTrue(allocated < ALLOCATION_LIMIT, label + ": allocated " + (allocated >> 20) + " MB\n" + abbreviate(text));
    }

    private static String abbreviate(String s) {
        return s.length() > 600 ? s.substring(0, 600) + "..." : s;
    }

    /** A value a user, a bad edit or a broken disk could put into any field. */
    static JsonNode hostile(SplittableRandom rnd) {
        switch (rnd.nextInt(22)) {
            case 0: return F.numberNode(-1);
            case 1: return F.numberNode(0);
            case 2: return F.numberNode(Integer.MAX_VALUE);
            case 3: return F.numberNode(1L << 31);
            case 4: return F.numberNode(Long.MAX_VALUE);
            case 5: return F.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
            case 6: return F.numberNode(1e300);
            case 7: return F.numberNode(-1e-300);
            case 8: return F.numberNode(0.5);
            case 9: return F.numberNode(2_000_000_000);
            case 10: return F.textNode("");
            case 11: return F.textNode("32,16,8");
            case 12: return F.textNode("\u0000\uffff\ud83d\ude00 NaN");
            case 13: return F.textNode("ddim" + rnd.nextInt(100000));
            case 14: return F.booleanNode(rnd.nextBoolean());
            case 15: return F.nullNode();
            case 16: return F.arrayNode();
            case 17: {
                ArrayNode a = F.arrayNode();
                for (int i = 0; i < 1 + rnd.nextInt(40); i++) a.add(rnd.nextInt(2_000_000) - 1000);
                return a;
            }
            case 18: return F.arrayNode().add("x").add(F.objectNode());
            case 19: return F.objectNode().put("nested", 1);
            case 20: return F.numberNode(1e9);
            default: return F.textNode("True");
        }
    }

    /** Every object node of a tree with the keys it holds. */
    private static void objects(JsonNode n, List<ObjectNode> out) {
        if (n instanceof ObjectNode) {
            out.add((ObjectNode) n);
            n.elements().forEachRemaining(c -> objects(c, out));
        }
    }

    static String mutateTree(JsonNode valid, SplittableRandom rnd) {
        JsonNode root = valid.deepCopy();
        List<ObjectNode> objs = new ArrayList<>();
        objects(root, objs);
        int edits = 1 + rnd.nextInt(3);
        for (int e = 0; e < edits; e++) {
            ObjectNode o = objs.get(rnd.nextInt(objs.size()));
            List<String> keys = new ArrayList<>();
            for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) keys.add(it.next());
            int op = rnd.nextInt(10);
            if (op == 0 || keys.isEmpty()) o.set("unexpected_" + rnd.nextInt(10), hostile(rnd));
            else if (op == 1) o.remove(keys.get(rnd.nextInt(keys.size())));
            else o.set(keys.get(rnd.nextInt(keys.size())), hostile(rnd));
        }
        return root.toString();
    }

    static String mutateText(String valid, SplittableRandom rnd) {
        byte[] b = valid.getBytes(StandardCharsets.UTF_8);
        switch (rnd.nextInt(3)) {
            case 0:
                for (int i = 0; i < 1 + rnd.nextInt(6); i++) b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                return new String(b, StandardCharsets.UTF_8);
            case 1:
                return valid.substring(0, rnd.nextInt(valid.length()));
            default: {
                byte[] r = new byte[rnd.nextInt(300)];
                for (int i = 0; i < r.length; i++) r[i] = (byte) rnd.nextInt(256);
                return new String(r, StandardCharsets.ISO_8859_1);
            }
        }
    }

    @Test
    void runConfigsOfHostileValues() throws Exception {
        SplittableRandom rnd = new SplittableRandom(SEED);
        List<JsonNode> valid = new ArrayList<>();
        for (RunConfig c : RunConfig.presets().values()) valid.add(c.toJsonNode());
        valid.add(JSON.readTree("{\"image_size\": 32, \"num_channels\": 64, \"num_res_blocks\": 2, \"learn_sigma\": true,"
                + " \"diffusion_steps\": 1000, \"noise_schedule\": \"cosine\", \"attention_resolutions\": \"16,8\","
                + " \"lr\": 1e-4, \"batch_size\": 8, \"ema_rate\": \"0.9999\", \"timestep_respacing\": \"ddim50\"}"));
        for (int i = 0; i < 2500; i++) {
            JsonNode base = valid.get(i % valid.size());
            String text = i % 5 == 4 ? mutateText(base.toString(), rnd) : mutateTree(base, rnd);
            check("run config case " + i, text, RunConfig::fromJson);
        }
    }

    @Test
    void unetConfigsOfHostileValues() {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        List<JsonNode> valid = List.of(UNetPresets.g1().toJsonNode(), UNetPresets.cifar10().toJsonNode(), UNetPresets.presetB().toJsonNode());
        for (int i = 0; i < 1500; i++) {
            JsonNode base = valid.get(i % valid.size());
            String text = i % 5 == 4 ? mutateText(base.toString(), rnd) : mutateTree(base, rnd);
            check("unet config case " + i, text, t -> UNetConfig.fromJson(ConfigJson.parseObject(t)));
        }
    }

    @Test
    void deepNestingAndHugeNumbersAreRejectedByName() {
        check("deep arrays", "{\"model\": " + "[".repeat(100_000) + "]".repeat(100_000) + "}", RunConfig::fromJson);
        check("deep objects", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000), RunConfig::fromJson);
        check("long number", "{\"model\": {\"image_size\": " + "9".repeat(200_000) + "}}", RunConfig::fromJson);
        check("huge steps", "{\"model\": {\"image_size\": 8, \"in_channels\": 1, \"model_channels\": 32, \"num_res_blocks\": 1,"
                + " \"channel_mult\": [1, 2]}, \"diffusion\": {\"diffusion_steps\": 2000000000}}", RunConfig::fromJson);
    }
}
