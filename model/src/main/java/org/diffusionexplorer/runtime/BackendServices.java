package org.diffusionexplorer.runtime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.net.URLStreamHandler;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.Set;

/**
 * The class loader ND4J looks its backends up with ({@code ND4JClassLoading.setNd4jClassloader}):
 * it answers like its parent, except that the backend service list
 * ({@link #SERVICE}) leaves out the hidden backend classes. Every class still comes from the
 * parent, so nothing is loaded twice; only which backends {@code Nd4jBackend.load()} sees changes.
 */
final class BackendServices extends ClassLoader {
    static final String SERVICE = "META-INF/services/org.nd4j.linalg.factory.Nd4jBackend";
    private final Set<String> hidden;

    BackendServices(ClassLoader parent, Set<String> hidden) {
        super("diffusion-backend-services", parent);
        this.hidden = Set.copyOf(hidden);
    }

    @Override
    public URL getResource(String name) {
        if (!SERVICE.equals(name)) return super.getResource(name);
        try {
            Enumeration<URL> all = getResources(name);
            return all.hasMoreElements() ? all.nextElement() : null;
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
        if (!SERVICE.equals(name)) return super.getResources(name);
        StringBuilder kept = new StringBuilder();
        for (URL u : Collections.list(getParent().getResources(name))) {
            try (InputStream in = u.openStream()) {
                kept.append(filter(new String(in.readAllBytes(), StandardCharsets.UTF_8), hidden));
            }
        }
        byte[] bytes = kept.toString().getBytes(StandardCharsets.UTF_8);
        URL merged = new URL("diffusion-services", null, -1, "/" + name, new URLStreamHandler() {
            @Override
            protected URLConnection openConnection(URL u) {
                return new URLConnection(u) {
                    @Override
                    public void connect() {
                        connected = true;
                    }

                    @Override
                    public InputStream getInputStream() {
                        return new ByteArrayInputStream(bytes);
                    }
                };
            }
        });
        return Collections.enumeration(java.util.List.of(merged));
    }

    /** The lines of a service file whose class (before any '#' comment) is not hidden. */
    static String filter(String serviceFile, Set<String> hidden) {
        StringBuilder sb = new StringBuilder();
        for (String line : serviceFile.split("\\R")) {
            int hash = line.indexOf('#');
            String cls = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (cls.isEmpty() || hidden.contains(cls)) continue;
            sb.append(cls).append('\n');
        }
        return sb.toString();
    }
}
