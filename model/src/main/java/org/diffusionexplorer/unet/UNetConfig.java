package org.diffusionexplorer.unet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Every constructor argument of the reference UNetModel, plus image_size, with the reference's
 * snake_case JSON names. Instances are always valid: the constructor rejects, naming the field,
 * any value the reference would fail on later (or silently mis-handle).
 *
 * @param attentionResolutions downsample factors (ds) at which attention blocks are added
 * @param numClasses 0 for an unconditional model (the reference's None)
 * @param numHeadsUpsample -1 means "same as num_heads"
 */
public record UNetConfig(
        int imageSize,
        int inChannels,
        int modelChannels,
        int outChannels,
        int numResBlocks,
        List<Integer> attentionResolutions,
        double dropout,
        List<Integer> channelMult,
        boolean convResample,
        int numClasses,
        int numHeads,
        int numHeadsUpsample,
        boolean useScaleShiftNorm) {

    /** GroupNorm in the reference always uses 32 groups. */
    public static final int NORM_GROUPS = 32;

    private static final Set<String> KEYS = Set.of("image_size", "in_channels", "model_channels", "out_channels",
            "num_res_blocks", "attention_resolutions", "dropout", "channel_mult", "conv_resample", "num_classes",
            "num_heads", "num_heads_upsample", "use_scale_shift_norm", "dims", "use_checkpoint");
    private static final ObjectMapper JSON = new ObjectMapper();

    public UNetConfig {
        attentionResolutions = List.copyOf(attentionResolutions);
        channelMult = List.copyOf(channelMult);
        validate(imageSize, inChannels, modelChannels, outChannels, numResBlocks, attentionResolutions, dropout,
                channelMult, numClasses, numHeads, numHeadsUpsample);
    }

    /**
     * Upper bounds far beyond any model of the reference (256 px, C=256, 3 res blocks, mult 4) that
     * keep a mistyped value from turning into a graph of millions of blocks or terabytes of weights;
     * {@link UNetModel#MAX_PARAMETERS} bounds the combination.
     */
    public static final int MAX_IMAGE_SIZE = 4096, MAX_MODEL_CHANNELS = 4096, MAX_RES_BLOCKS = 64, MAX_MULT = 64,
            MAX_CLASSES = 100_000;

    private static void validate(int imageSize, int inChannels, int modelChannels, int outChannels, int numResBlocks,
            List<Integer> attention, double dropout, List<Integer> mult, int numClasses, int numHeads, int headsUp) {
        positive("image_size", imageSize);
        positive("in_channels", inChannels);
        positive("out_channels", outChannels);
        positive("num_res_blocks", numResBlocks);
        positive("num_heads", numHeads);
        atMost("image_size", imageSize, MAX_IMAGE_SIZE);
        atMost("model_channels", modelChannels, MAX_MODEL_CHANNELS);
        atMost("num_res_blocks", numResBlocks, MAX_RES_BLOCKS);
        atMost("num_classes", numClasses, MAX_CLASSES);
        if (modelChannels <= 0 || modelChannels % NORM_GROUPS != 0) {
            throw new InvalidConfigException("model_channels", "must be a positive multiple of " + NORM_GROUPS
                    + " (GroupNorm uses " + NORM_GROUPS + " groups), got " + modelChannels);
        }
        if (mult.isEmpty()) throw new InvalidConfigException("channel_mult", "needs at least one level");
        for (int m : mult) {
            if (m <= 0 || m > MAX_MULT) throw new InvalidConfigException("channel_mult", "multipliers must be 1.." + MAX_MULT + ", got " + m);
        }
        int levels = mult.size();
        int maxDs = 1 << (levels - 1);
        if (imageSize % maxDs != 0) {
            throw new InvalidConfigException("image_size", "must be divisible by " + maxDs + " (2^(levels-1) for "
                    + levels + " channel_mult levels), got " + imageSize);
        }
        for (int ds : attention) {
            if (ds <= 0 || Integer.bitCount(ds) != 1 || ds > maxDs) {
                throw new InvalidConfigException("attention_resolutions", "downsample factor " + ds
                        + " is never reached; this model has factors 1.." + maxDs + " (powers of 2)");
            }
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new InvalidConfigException("dropout", "must be in [0, 1), got " + dropout);
        }
        if (numClasses < 0) throw new InvalidConfigException("num_classes", "must be null or positive, got " + numClasses);
        int up = headsUp == -1 ? numHeads : headsUp;
        if (up <= 0) throw new InvalidConfigException("num_heads_upsample", "must be -1 or positive, got " + headsUp);
        // Attention channels: every level's width where attention sits, plus the middle block (deepest width).
        int ds = 1;
        for (int level = 0; level < levels; level++) {
            int ch = mult.get(level) * modelChannels;
            if (attention.contains(ds)) {
                heads("num_heads", numHeads, ch);
                heads(headsUp == -1 ? "num_heads" : "num_heads_upsample", up, ch);
            }
            ds *= 2;
        }
        heads("num_heads", numHeads, mult.get(levels - 1) * modelChannels);
    }

    private static void atMost(String field, int v, int max) {
        if (v > max) throw new InvalidConfigException(field, "must be at most " + max + ", got " + v);
    }

    private static void positive(String field, int v) {
        if (v <= 0) throw new InvalidConfigException(field, "must be positive, got " + v);
    }

    private static void heads(String field, int heads, int channels) {
        if (channels % heads != 0) {
            throw new InvalidConfigException(field, heads + " heads do not divide " + channels + " attention channels");
        }
    }

    public int levels() {
        return channelMult.size();
    }

    public int headsUpsample() {
        return numHeadsUpsample == -1 ? numHeads : numHeadsUpsample;
    }

    public boolean classConditional() {
        return numClasses > 0;
    }

    /** Width of the time embedding (4 x model_channels in the reference). */
    public int timeEmbedDim() {
        return 4 * modelChannels;
    }

    public UNetConfig withImageSize(int size) {
        return new UNetConfig(size, inChannels, modelChannels, outChannels, numResBlocks, attentionResolutions, dropout,
                channelMult, convResample, numClasses, numHeads, numHeadsUpsample, useScaleShiftNorm);
    }

    public UNetConfig withDropout(double p) {
        return new UNetConfig(imageSize, inChannels, modelChannels, outChannels, numResBlocks, attentionResolutions, p,
                channelMult, convResample, numClasses, numHeads, numHeadsUpsample, useScaleShiftNorm);
    }

    public UNetConfig withNumClasses(int n) {
        return new UNetConfig(imageSize, inChannels, modelChannels, outChannels, numResBlocks, attentionResolutions, dropout,
                channelMult, convResample, n, numHeads, numHeadsUpsample, useScaleShiftNorm);
    }

    // ---------------------------------------------------------------- JSON

    /** Parses the reference's snake_case keys; unknown keys and wrong types are rejected by name. */
    public static UNetConfig fromJson(ObjectNode o) {
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KEYS.contains(k)) throw new InvalidConfigException(k, "unknown key (expected one of " + new java.util.TreeSet<>(KEYS) + ")");
        }
        if (o.has("dims") && !(o.get("dims").isInt() && o.get("dims").asInt() == 2)) {
            throw new InvalidConfigException("dims", "only 2-D images are supported (dims: 2)");
        }
        if (o.has("use_checkpoint") && !(o.get("use_checkpoint").isBoolean() && !o.get("use_checkpoint").asBoolean())) {
            throw new InvalidConfigException("use_checkpoint", "gradient checkpointing is not supported (use false)");
        }
        int inCh = integer(o, "in_channels", null);
        return new UNetConfig(
                integer(o, "image_size", null),
                inCh,
                integer(o, "model_channels", null),
                integer(o, "out_channels", inCh),
                integer(o, "num_res_blocks", null),
                intList(o, "attention_resolutions", List.of()),
                number(o, "dropout", 0.0),
                intList(o, "channel_mult", List.of(1, 2, 4, 8)),
                bool(o, "conv_resample", true),
                o.has("num_classes") && !o.get("num_classes").isNull() ? integer(o, "num_classes", null) : 0,
                integer(o, "num_heads", 1),
                integer(o, "num_heads_upsample", -1),
                bool(o, "use_scale_shift_norm", false));
    }

    private static int integer(ObjectNode o, String key, Integer dflt) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) {
            if (dflt == null) throw new InvalidConfigException(key, "is required");
            return dflt;
        }
        if (!n.canConvertToInt() || !(n.isIntegralNumber() || (n.isNumber() && n.asDouble() == Math.rint(n.asDouble())))) {
            throw new InvalidConfigException(key, "must be an integer, got " + n);
        }
        return n.asInt();
    }

    private static double number(ObjectNode o, String key, double dflt) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) return dflt;
        if (!n.isNumber()) throw new InvalidConfigException(key, "must be a number, got " + n);
        return n.asDouble();
    }

    private static boolean bool(ObjectNode o, String key, boolean dflt) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) return dflt;
        if (!n.isBoolean()) throw new InvalidConfigException(key, "must be true or false, got " + n);
        return n.asBoolean();
    }

    private static List<Integer> intList(ObjectNode o, String key, List<Integer> dflt) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) return dflt;
        if (n.isTextual()) { // the reference's scripts write "16,8" style strings
            List<Integer> out = new ArrayList<>();
            for (String s : n.asText().split(",")) {
                if (s.isBlank()) continue;
                try {
                    out.add(Integer.parseInt(s.trim()));
                } catch (NumberFormatException e) {
                    throw new InvalidConfigException(key, "must list integers, got \"" + n.asText() + "\"");
                }
            }
            return out;
        }
        if (!n.isArray()) throw new InvalidConfigException(key, "must be a list of integers, got " + n);
        List<Integer> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isIntegralNumber()) throw new InvalidConfigException(key, "must list integers, got " + e);
            out.add(e.asInt());
        }
        return out;
    }

    public ObjectNode toJsonNode() {
        ObjectNode o = JSON.createObjectNode();
        o.put("image_size", imageSize);
        o.put("in_channels", inChannels);
        o.put("model_channels", modelChannels);
        o.put("out_channels", outChannels);
        o.put("num_res_blocks", numResBlocks);
        ArrayNode att = o.putArray("attention_resolutions");
        attentionResolutions.forEach(att::add);
        o.put("dropout", dropout);
        ArrayNode cm = o.putArray("channel_mult");
        channelMult.forEach(cm::add);
        o.put("conv_resample", convResample);
        if (numClasses > 0) o.put("num_classes", numClasses); else o.putNull("num_classes");
        o.put("num_heads", numHeads);
        o.put("num_heads_upsample", numHeadsUpsample);
        o.put("use_scale_shift_norm", useScaleShiftNorm);
        return o;
    }

    public String toJson() {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(toJsonNode());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
