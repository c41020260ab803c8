package org.diffusionexplorer.io.torch;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the pickle of a state_dict without running it. A pickle is a program for a stack machine
 * whose GLOBAL and REDUCE opcodes import and call any Python function; Python's own unpickler
 * (and torch.load) therefore runs whatever a file asks for. This one interprets only the opcodes
 * torch.save emits for a dict of tensors (protocol 2, plus the few protocol 4 ones), knows a fixed
 * list of globals ({@link TorchGlobal}) and refuses any other global the moment it is named, before
 * anything is built. "Calling" an allowed global builds a plain Java value: a map, a {@link TensorSpec}.
 *
 * <p>Values: Python None is null, int Long, float Double, bool Boolean, str String, list
 * {@code List<Object>}, tuple {@link Tuple}, dict and OrderedDict {@code Map<Object, Object>} (keys
 * limited to str, int, bool and None, so no key hashes a nested structure). Nothing is walked
 * recursively, so a deeply nested input cannot overflow the Java stack; the open MARKs, the stack
 * and the memo are bounded so that a small file cannot claim much memory.
 */
public final class RestrictedUnpickler {
    /** A Python tuple; identity equality on purpose (tuples are never map keys here). */
    public record Tuple(List<Object> items) {
        @Override
        public boolean equals(Object o) {
            return this == o;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(this);
        }

        @Override
        public String toString() {
            return "tuple of " + items.size();
        }
    }

    /** Limits far above a state_dict's (446 tensors: a stack of tens, a memo of ~3000) and far below harm. */
    static final int MAX_STACK = 1 << 20, MAX_MEMO = 1 << 20, MAX_MARK_DEPTH = 1000;

    private final byte[] in;
    private final String name;
    private int pos;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Map<String, StorageRef> storages = new HashMap<>();

    /** {@code name} labels error messages (the file). */
    public RestrictedUnpickler(byte[] pickle, String name) {
        this.in = pickle;
        this.name = name;
    }

    /** Runs the opcodes up to STOP and returns the object they describe. */
    public Object load() {
        while (true) {
            int at = pos;
            int op = u8();
            switch (op) {
                case 0x80: u8(); break; // PROTO n: any version; unknown opcodes are refused below anyway
                case 0x95: bytes(8); break; // FRAME: a length hint for buffered reading
                case '.': return finish(at);
                case '(': if (marks.size() >= MAX_MARK_DEPTH) throw bad("nesting deeper than " + MAX_MARK_DEPTH + " levels");
                    marks.add(stack.size()); break;
                case 'N': push(null); break;
                case 0x88: push(Boolean.TRUE); break;
                case 0x89: push(Boolean.FALSE); break;
                case 'K': push((long) u8()); break;
                case 'M': push((long) (u8() | u8() << 8)); break;
                case 'J': push((long) s32()); break;
                case 0x8a: push(long1()); break;
                case 'G': push(Double.longBitsToDouble(be64())); break;
                case 'X': push(utf8(length(s32()))); break;
                case 0x8c: push(utf8(u8())); break;
                case ')': push(new Tuple(List.of())); break;
                case 0x85: push(tuple(1)); break;
                case 0x86: push(tuple(2)); break;
                case 0x87: push(tuple(3)); break;
                case 't': push(new Tuple(Collections.unmodifiableList(popMark()))); break;
                case ']': push(new ArrayList<>()); break;
                case '}': push(new LinkedHashMap<>()); break;
                case 'a': { Object v = pop(); list(peek(), at).add(v); break; }
                case 'e': { List<Object> items = popMark(); list(peek(), at).addAll(items); break; }
                case 's': { Object v = pop(), k = pop(); put(dict(peek(), at), k, v, at); break; }
                case 'u': {
                    List<Object> items = popMark();
                    if (items.size() % 2 != 0) throw bad("SETITEMS with an odd number of items at byte " + at);
                    Map<Object, Object> d = dict(peek(), at);
                    for (int i = 0; i < items.size(); i += 2) put(d, items.get(i), items.get(i + 1), at);
                    break;
                }
                case 'q': memoPut(u8()); break;
                case 'r': memoPut(Integer.toUnsignedLong(s32())); break;
                case 0x94: memoPut(memo.size()); break;
                case 'h': push(memoGet(u8(), at)); break;
                case 'j': push(memoGet(Integer.toUnsignedLong(s32()), at)); break;
                case 'c': push(TorchGlobal.resolve(line(), line(), name)); break;
                case 0x93: { Object n = pop(), m = pop(); push(TorchGlobal.resolve(text(m, at), text(n, at), name)); break; }
                case 'Q': push(persistentId(pop(), at)); break;
                case 'R': { Object args = pop(), f = pop(); push(call(f, args, at)); break; }
                case 'b': { Object state = pop(); build(peek(), state, at); break; }
                case '0': pop(); break;
                case '2': push(peek()); break;
                default:
                    throw bad(String.format("unsupported pickle opcode 0x%02x at byte %d (not one torch.save writes for a state_dict)", op, at));
            }
        }
    }

    private Object finish(int at) {
        if (stack.size() != 1 || !marks.isEmpty()) throw bad("malformed pickle: STOP at byte " + at + " with " + stack.size() + " values on the stack");
        return stack.get(0);
    }

    // ---------------------------------------------------------------- calls of the allowed globals

    private Object call(Object f, Object args, int at) {
        if (!(f instanceof TorchGlobal g)) throw bad("REDUCE at byte " + at + " calls a " + typeName(f) + ", not a function");
        if (!(args instanceof Tuple t)) throw bad("REDUCE at byte " + at + " has " + typeName(args) + " arguments, not a tuple");
        return g.call(t.items(), name, at);
    }

    /** BUILD sets an object's state: OrderedDict's attributes (the state_dict's _metadata of module versions) are dropped. */
    private void build(Object target, Object state, int at) {
        if (target instanceof Map && (state instanceof Map || state instanceof Tuple || state == null)) return;
        throw bad("BUILD at byte " + at + " sets the state of a " + typeName(target) + ", which a state_dict never does");
    }

    /** ('storage', storage type, key, location, numel) as torch.save's persistent_id writes it. */
    private StorageRef persistentId(Object pid, int at) {
        if (!(pid instanceof Tuple t) || t.items().size() != 5 || !"storage".equals(t.items().get(0))) {
            throw bad("persistent id at byte " + at + " is not ('storage', type, key, location, numel)");
        }
        List<Object> p = t.items();
        if (!(p.get(1) instanceof TorchGlobal g) || g.storage() == null) {
            throw bad("persistent id at byte " + at + " names a " + typeName(p.get(1)) + ", not a storage type");
        }
        if (!(p.get(2) instanceof String key) || !key.matches("[A-Za-z0-9_]{1,64}")) {
            throw bad("persistent id at byte " + at + " has a bad storage key");
        }
        if (!(p.get(3) instanceof String location) || location.length() > 64) {
            throw bad("persistent id at byte " + at + " has a bad location");
        }
        if (!(p.get(4) instanceof Long numel) || numel < 0) throw bad("persistent id at byte " + at + " has a bad element count");
        StorageRef ref = new StorageRef(g.storage(), key, location, numel);
        StorageRef seen = storages.putIfAbsent(key, ref);
        if (seen != null && (seen.type() != ref.type() || seen.numel() != ref.numel())) {
            throw bad("storage " + key + " is declared twice with different types or sizes");
        }
        return seen != null ? seen : ref;
    }

    // ---------------------------------------------------------------- stack, marks, memo

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) throw bad("more than " + MAX_STACK + " values on the pickle stack");
        stack.add(o);
    }

    private Object pop() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) throw bad("malformed pickle: pops an empty stack at byte " + (pos - 1));
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        int floor = marks.isEmpty() ? 0 : marks.get(marks.size() - 1);
        if (stack.size() <= floor) throw bad("malformed pickle: reads an empty stack at byte " + (pos - 1));
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw bad("malformed pickle: no MARK before byte " + (pos - 1));
        int from = marks.remove(marks.size() - 1);
        List<Object> sub = stack.subList(from, stack.size());
        List<Object> items = new ArrayList<>(sub);
        sub.clear();
        return items;
    }

    private Tuple tuple(int n) {
        Object[] items = new Object[n];
        for (int i = n - 1; i >= 0; i--) items[i] = pop();
        return new Tuple(Collections.unmodifiableList(java.util.Arrays.asList(items)));
    }

    private void memoPut(long index) {
        if (memo.size() >= MAX_MEMO && !memo.containsKey(index)) throw bad("more than " + MAX_MEMO + " memo entries");
        memo.put(index, peek());
    }

    private Object memoGet(long index, int at) {
        if (!memo.containsKey(index)) throw bad("malformed pickle: memo entry " + index + " read at byte " + at + " was never stored");
        return memo.get(index);
    }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o, int at) {
        if (o instanceof ArrayList) return (List<Object>) o;
        throw bad("APPEND at byte " + at + " on a " + typeName(o) + ", not a list");
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o, int at) {
        if (o instanceof LinkedHashMap) return (Map<Object, Object>) o;
        throw bad("SETITEM at byte " + at + " on a " + typeName(o) + ", not a dict");
    }

    private void put(Map<Object, Object> d, Object k, Object v, int at) {
        if (k != null && !(k instanceof String) && !(k instanceof Long) && !(k instanceof Boolean)) {
            throw bad("dict key at byte " + at + " is a " + typeName(k) + " (a state_dict's keys are names)");
        }
        d.put(k, v);
    }

    // ---------------------------------------------------------------- bytes

    private int u8() {
        if (pos >= in.length) throw bad("the pickle ends early (truncated data.pkl)");
        return in[pos++] & 0xff;
    }

    private int s32() {
        return u8() | u8() << 8 | u8() << 16 | u8() << 24;
    }

    private long be64() {
        long v = 0;
        for (int i = 0; i < 8; i++) v = v << 8 | u8();
        return v;
    }

    /** LONG1: a little-endian two's complement integer of n bytes; more than 8 is no tensor's size. */
    private long long1() {
        int n = u8();
        if (n > 8) throw bad("an integer of " + n + " bytes at byte " + (pos - 2) + " is too large");
        long v = 0;
        for (int i = 0; i < n; i++) v |= (long) u8() << (8 * i);
        if (n > 0 && n < 8 && (v >>> (8 * n - 1) & 1) == 1) v |= -1L << (8 * n); // sign-extend
        return v;
    }

    private int length(int declared) {
        if (declared < 0 || declared > in.length - pos) throw bad("a string of " + Integer.toUnsignedLong(declared) + " bytes runs past the end of the pickle");
        return declared;
    }

    private byte[] bytes(int n) {
        if (n > in.length - pos) throw bad("the pickle ends early (truncated data.pkl)");
        byte[] b = java.util.Arrays.copyOfRange(in, pos, pos + n);
        pos += n;
        return b;
    }

    private String utf8(int n) {
        byte[] b = bytes(n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b)).toString();
        } catch (CharacterCodingException e) {
            throw bad("a string at byte " + (pos - n) + " is not valid UTF-8");
        }
    }

    /** GLOBAL's module and name: text up to a newline, short (Python names are). */
    private String line() {
        int start = pos;
        while (pos < in.length && in[pos] != '\n') {
            if (pos - start > 200) throw bad("a GLOBAL name at byte " + start + " is longer than 200 bytes");
            pos++;
        }
        if (pos >= in.length) throw bad("the pickle ends early (truncated data.pkl)");
        String s = new String(in, start, pos - start, StandardCharsets.ISO_8859_1);
        pos++;
        return s;
    }

    private String text(Object o, int at) {
        if (o instanceof String s) return s;
        throw bad("STACK_GLOBAL at byte " + at + " names a " + typeName(o) + ", not a string");
    }

    private TorchFormatException bad(String what) {
        return new TorchFormatException(name + ": " + what);
    }

    /** Python's name for a value's type, for messages (never its contents: a nested value could be huge). */
    public static String typeName(Object o) {
        if (o == null) return "None";
        if (o instanceof String) return "str";
        if (o instanceof Long) return "int";
        if (o instanceof Double) return "float";
        if (o instanceof Boolean) return "bool";
        if (o instanceof Tuple) return "tuple";
        if (o instanceof List) return "list";
        if (o instanceof Map) return "dict";
        if (o instanceof TensorSpec) return "tensor";
        if (o instanceof StorageRef) return "storage";
        if (o instanceof TorchGlobal g) return g.pythonName();
        return o.getClass().getSimpleName();
    }
}
