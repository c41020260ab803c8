package org.diffusionexplorer.config;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.diffusionexplorer.unet.InvalidConfigException;

/**
 * The reference's flags as its README writes them and a user pastes them:
 * {@code --image_size 32 --num_channels 128 --learn_sigma True --dropout 0.3 ...}, read as the
 * scripts' argparse does (the default's type; str2bool's yes/no words for booleans; "--flag=value"
 * too). The README's shell lines {@code MODEL_FLAGS="..."} may be pasted whole: the variable names
 * and quotes are dropped, as are line-continuation backslashes. An unknown flag, a flag given twice,
 * a missing or ill-typed value is refused naming the flag.
 */
public final class ReferenceFlagLine {
    private ReferenceFlagLine() {}

    /** The flags as the JSON object {@link RunConfig#fromJson(ObjectNode)} reads. */
    public static ObjectNode parse(String line) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        List<String> words = words(line);
        if (words.isEmpty()) throw new InvalidConfigException("flags", "are empty (paste e.g. --image_size 32 --num_channels 128 ...)");
        for (int i = 0; i < words.size(); i++) {
            String w = words.get(i);
            if (!w.startsWith("--") || w.length() == 2) {
                throw new InvalidConfigException("flags", "expected a --flag, got '" + w + "'");
            }
            String flag = w.substring(2), value = null;
            int eq = flag.indexOf('=');
            if (eq >= 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            }
            ReferenceFlags.Kind kind = ReferenceFlags.FLAGS.get(flag);
            if (kind == null) throw new InvalidConfigException("--" + flag, "is not a flag of the reference's image_train.py or image_sample.py");
            if (o.has(flag)) throw new InvalidConfigException("--" + flag, "is given twice");
            if (value == null) {
                if (i + 1 >= words.size() || words.get(i + 1).startsWith("--")) {
                    throw new InvalidConfigException("--" + flag, "needs a value" + (kind == ReferenceFlags.Kind.BOOL ? " (True or False)" : ""));
                }
                value = words.get(++i);
            }
            put(o, flag, kind, value);
        }
        return o;
    }

    private static void put(ObjectNode o, String flag, ReferenceFlags.Kind kind, String value) {
        String v = value.trim();
        try {
            switch (kind) {
                case BOOL: o.put(flag, bool(v, flag)); break;
                case INT: o.put(flag, Long.parseLong(v.replace("_", ""))); break;
                case FLOAT: {
                    double d = Double.parseDouble(v);
                    if (!Double.isFinite(d) || v.endsWith("d") || v.endsWith("f") || v.endsWith("D") || v.endsWith("F")) throw new NumberFormatException();
                    o.put(flag, d);
                    break;
                }
                default: o.put(flag, value);
            }
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("--" + flag, "must be " + (kind == ReferenceFlags.Kind.INT ? "an integer" : "a number") + ", got '" + value + "'");
        }
    }

    /** The words the reference's str2bool accepts. */
    private static boolean bool(String v, String flag) {
        switch (v.toLowerCase(Locale.ROOT)) {
            case "yes": case "true": case "t": case "y": case "1": return true;
            case "no": case "false": case "f": case "n": case "0": return false;
            default: throw new InvalidConfigException("--" + flag, "must be True or False, got '" + v + "'");
        }
    }

    /** Shell-like words: whitespace-separated, '...' and "..." quoting, NAME= prefixes and lone backslashes dropped. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (Character.isWhitespace(c)) {
                    if (inWord) out.add(w.toString());
                    w.setLength(0);
                    inWord = false;
                } else {
                    w.append(c);
                    inWord = true;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (Character.isWhitespace(c) || c == '\\') {
                if (inWord) out.add(w.toString());
                w.setLength(0);
                inWord = false;
            } else if (c == '=' && inWord && w.toString().matches("[A-Z_][A-Z0-9_]*")) {
                w.setLength(0); // MODEL_FLAGS= : a shell variable's name, not a flag
                inWord = false;
            } else {
                w.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new InvalidConfigException("flags", "have an unclosed " + quote + " quote");
        if (inWord) out.add(w.toString());
        return out;
    }
}
