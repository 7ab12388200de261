package org.ews.bench;

/** Finds the peer in the build ({@link Peer#DUCKDB}), or says why there is none. */
public final class Peers {
    private Peers() {}

    /** A peer class that can run, or the reason it cannot. */
    public record Found(Class<? extends Peer> type, String name, String unavailable) {
        public boolean available() {
            return type != null;
        }
    }

    public static Found find() {
        return find(Peer.DUCKDB);
    }

    static Found find(String className) {
        Class<?> c;
        try {
            c = Class.forName(className);
        } catch (ClassNotFoundException | LinkageError e) {
            return new Found(null, null, className + " is not in this build");
        }
        if (!Peer.class.isAssignableFrom(c)) {
            return new Found(null, null, className + " does not implement " + Peer.class.getName());
        }
        try {
            Peer p = (Peer) c.getConstructor().newInstance();
            @SuppressWarnings("unchecked")
            Class<? extends Peer> type = (Class<? extends Peer>) c;
            return new Found(type, p.name(), null);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return new Found(null, null, className + " cannot be created: " + e);
        }
    }
}
