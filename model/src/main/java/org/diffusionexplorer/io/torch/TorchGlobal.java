package org.diffusionexplorer.io.torch;

import java.util.List;
import java.util.Map;

/**
 * The Python globals a state_dict's pickle may name, and what "calling" each one builds here.
 * Everything else is refused when the pickle names it: a pickle that imports posix.system,
 * builtins.eval or a model class is not a state_dict, and Python would run whatever it names.
 *
 * @param storage the element type when this global is a storage class, else null
 */
public record TorchGlobal(String module, String name, Kind kind, StorageType storage) {

    enum Kind { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_PARAMETER, REBUILD_PARAMETER_WITH_STATE, STORAGE_TYPE }

    public String pythonName() {
        return module + "." + name;
    }

    /** The global {@code module.name} if a state_dict may use it; otherwise one line naming it, before anything is built. */
    static TorchGlobal resolve(String module, String name, String file) {
        if (module.equals("collections") && name.equals("OrderedDict")) return new TorchGlobal(module, name, Kind.ORDERED_DICT, null);
        if (module.equals("torch._utils")) {
            switch (name) {
                case "_rebuild_tensor_v2": return new TorchGlobal(module, name, Kind.REBUILD_TENSOR_V2, null);
                case "_rebuild_parameter": return new TorchGlobal(module, name, Kind.REBUILD_PARAMETER, null);
                case "_rebuild_parameter_with_state": return new TorchGlobal(module, name, Kind.REBUILD_PARAMETER_WITH_STATE, null);
                default: break;
            }
        }
        if (module.equals("torch")) {
            StorageType t = StorageType.byName(name).orElse(null);
            if (t != null) return new TorchGlobal(module, name, Kind.STORAGE_TYPE, t);
        }
        String what = module + "." + name;
        boolean looksLikeClass = !name.isEmpty() && Character.isUpperCase(name.charAt(0)) && !module.equals("torch");
        throw new TorchFormatException(file + ": refused: its pickle asks for " + clip(what)
                + ", which a state_dict never needs; nothing was run"
                + (looksLikeClass ? " (a whole pickled object? save model.state_dict() instead)" : ""));
    }

    private static String clip(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 120 ? printable.substring(0, 120) + "..." : printable;
    }

    /** REDUCE of this global with these arguments. */
    Object call(List<Object> args, String file, int at) {
        String where = file + ": " + pythonName() + " at byte " + at;
        switch (kind) {
            case ORDERED_DICT:
                if (!args.isEmpty()) throw new TorchFormatException(where + " is given initial items; torch.save never does that");
                return new java.util.LinkedHashMap<Object, Object>();
            case REBUILD_TENSOR_V2:
                return rebuildTensor(args, where);
            case REBUILD_PARAMETER: // (data, requires_grad, backward_hooks): a Parameter is its tensor
            case REBUILD_PARAMETER_WITH_STATE: { // ... plus the Parameter's Python attributes, dropped
                int n = kind == Kind.REBUILD_PARAMETER ? 3 : 4;
                if (args.size() != n || !(args.get(0) instanceof TensorSpec t)) {
                    throw new TorchFormatException(where + " needs (tensor, requires_grad, hooks" + (n == 4 ? ", state" : "") + ")");
                }
                return t;
            }
            default:
                throw new TorchFormatException(where + ": a storage class is only a type in a persistent id, never called");
        }
    }

    /** (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata]). */
    private static TensorSpec rebuildTensor(List<Object> a, String where) {
        if (a.size() != 6 && a.size() != 7) throw new TorchFormatException(where + " has " + a.size() + " arguments, not 6 or 7");
        if (!(a.get(0) instanceof StorageRef s)) throw new TorchFormatException(where + ": first argument is a "
                + RestrictedUnpickler.typeName(a.get(0)) + ", not a storage");
        if (!(a.get(1) instanceof Long offset)) throw new TorchFormatException(where + ": storage_offset is not an int");
        long[] size = ints(a.get(2), "size", where), stride = ints(a.get(3), "stride", where);
        if (size.length != stride.length) throw new TorchFormatException(where + ": size has " + size.length + " dimensions, stride " + stride.length);
        if (!(a.get(4) instanceof Boolean)) throw new TorchFormatException(where + ": requires_grad is not a bool");
        if (!(a.get(5) instanceof Map<?, ?> hooks) || !hooks.isEmpty()) throw new TorchFormatException(where + ": backward_hooks are not an empty OrderedDict");
        if (a.size() == 7 && a.get(6) != null && !(a.get(6) instanceof Map)) throw new TorchFormatException(where + ": metadata is not a dict");
        return new TensorSpec(s, offset, size, stride);
    }

    private static long[] ints(Object o, String what, String where) {
        if (!(o instanceof RestrictedUnpickler.Tuple t)) throw new TorchFormatException(where + ": " + what + " is not a tuple");
        if (t.items().size() > 64) throw new TorchFormatException(where + ": " + what + " has " + t.items().size() + " dimensions");
        long[] v = new long[t.items().size()];
        for (int i = 0; i < v.length; i++) {
            if (!(t.items().get(i) instanceof Long l)) throw new TorchFormatException(where + ": " + what + " holds a non-integer");
            v[i] = l;
        }
        return v;
    }
}
