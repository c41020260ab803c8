package org.diffusionexplorer.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.diffusionexplorer.unet.InvalidConfigException;

/** Typed reads of one JSON section; every error names the field as "section.key". */
final class JsonFields {
    private final ObjectNode o;
    private final String section;

    JsonFields(ObjectNode o, String section, Set<String> known) {
        this.o = o;
        this.section = section;
        for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) throw new InvalidConfigException(name(k), "unknown key (expected one of " + new TreeSet<>(known) + ")");
        }
    }

    String name(String key) {
        return section.isEmpty() ? key : section + "." + key;
    }

    boolean has(String key) {
        return o.has(key) && !o.get(key).isNull();
    }

    JsonNode node(String key) {
        return o.get(key);
    }

    int integer(String key, int dflt) {
        long v = longValue(key, dflt);
        if (v != (int) v) throw new InvalidConfigException(name(key), "is out of range, got " + v);
        return (int) v;
    }

    long longValue(String key, long dflt) {
        if (!has(key)) return dflt;
        JsonNode n = o.get(key);
        if (!n.isNumber() || n.asDouble() != Math.rint(n.asDouble())) throw new InvalidConfigException(name(key), "must be an integer, got " + n);
        // asLong() would silently clamp 1e300 or 2^70 to Long.MAX_VALUE
        if (!n.canConvertToLong()) throw new InvalidConfigException(name(key), "is out of range, got " + n);
        return n.asLong();
    }

    double number(String key, double dflt) {
        if (!has(key)) return dflt;
        JsonNode n = o.get(key);
        if (!n.isNumber()) throw new InvalidConfigException(name(key), "must be a number, got " + n);
        return n.asDouble();
    }

    boolean bool(String key, boolean dflt) {
        if (!has(key)) return dflt;
        JsonNode n = o.get(key);
        if (n.isBoolean()) return n.asBoolean();
        // the reference's argparse flags are written "True"/"False"
        if (n.isTextual() && (n.asText().equalsIgnoreCase("true") || n.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(n.asText());
        }
        throw new InvalidConfigException(name(key), "must be true or false, got " + n);
    }

    String text(String key, String dflt) {
        if (!has(key)) return dflt;
        JsonNode n = o.get(key);
        if (!n.isTextual()) throw new InvalidConfigException(name(key), "must be a string, got " + n);
        return n.asText();
    }

    ObjectNode object(String key) {
        JsonNode n = o.get(key);
        if (n == null || n.isNull()) return null;
        if (!n.isObject()) throw new InvalidConfigException(name(key), "must be a JSON object, got " + n);
        return (ObjectNode) n;
    }
}
