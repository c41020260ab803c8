package org.diffusionexplorer.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * The layering the README promises: no two packages of the model or of the app import each other,
 * directly or around a loop. The package graph comes from the JDK's jdeps over the compiled classes
 * (the reactor builds the model before the app, so both folders exist when this runs).
 */
class PackageCyclesTest {
    private static final String ROOT = "org.diffusionexplorer";

    @Test
    void modelAndAppPackagesFormNoCycle() {
        for (Path classes : List.of(Path.of("target/classes"), Path.of("../model/target/classes"))) {
            assertTrue(Files.isDirectory(classes), "compiled classes at " + classes.toAbsolutePath());
            Map<String, TreeSet<String>> graph = packageGraph(classes);
            assertTrue(graph.size() > 5, "jdeps saw the packages of " + classes + ": " + graph.keySet());
            assertEquals(List.of(), cycles(graph), "package cycles in " + classes);
        }
    }

    @Test
    void theCycleFinderFindsALoop() {
        Map<String, TreeSet<String>> g = new TreeMap<>();
        g.put("a", new TreeSet<>(List.of("b")));
        g.put("b", new TreeSet<>(List.of("c")));
        g.put("c", new TreeSet<>(List.of("a")));
        g.put("d", new TreeSet<>(List.of("a")));
        assertEquals(List.of(List.of("a", "b", "c")), cycles(g));
    }

    private static Map<String, TreeSet<String>> packageGraph(Path classes) {
        ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow(() -> new AssertionError("no jdeps in this JDK"));
        StringWriter out = new StringWriter();
        PrintWriter pw = new PrintWriter(out);
        int code = jdeps.run(pw, pw, "-verbose:package", "-filter:none", classes.toString());
        pw.flush();
        assertEquals(0, code, out.toString());
        Map<String, TreeSet<String>> graph = new TreeMap<>();
        for (String line : out.toString().split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3 && f[1].equals("->") && f[0].startsWith(ROOT) && f[2].startsWith(ROOT) && !f[0].equals(f[2])) {
                graph.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[2]);
            }
        }
        return graph;
    }

    /** The strongly connected components with more than one package (Tarjan), each sorted. */
    static List<List<String>> cycles(Map<String, TreeSet<String>> graph) {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        List<List<String>> found = new ArrayList<>();
        for (String v : graph.keySet()) {
            if (!index.containsKey(v)) connect(v, graph, index, low, stack, found);
        }
        return found;
    }

    private static void connect(String v, Map<String, TreeSet<String>> graph, Map<String, Integer> index,
            Map<String, Integer> low, Deque<String> stack, List<List<String>> found) {
        index.put(v, index.size());
        low.put(v, index.get(v));
        stack.push(v);
        for (String w : graph.getOrDefault(v, new TreeSet<>())) {
            if (!index.containsKey(w)) {
                connect(w, graph, index, low, stack, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (stack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            TreeSet<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) found.add(new ArrayList<>(component));
        }
    }
}
