package io.corral.bench.compare;

/** The two servers the comparisons run: the reference and Corral. */
enum ServerKind {
    ZOOKEEPER("ZooKeeper 3.9.5"), CORRAL("Corral");

    final String title;

    ServerKind(String title) {
        this.title = title;
    }

    /** Lower case, for file names and labels. */
    String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
