package io.corral.client;

/** A change reported by a watch: what happened and to which node (client path, without chroot). */
public record WatchEvent(Type type, String path) {

    /** The kinds of change a server reports. */
    public enum Type {
        NODE_CREATED(1),
        NODE_DELETED(2),
        NODE_DATA_CHANGED(3),
        NODE_CHILDREN_CHANGED(4);

        private final int code;

        Type(int code) {
            this.code = code;
        }

        /** The EventType code on the wire. */
        public int code() {
            return code;
        }

        /** The type for a wire code, or null for codes a server does not send. */
        public static Type fromCode(int code) {
            return switch (code) {
                case 1 -> NODE_CREATED;
                case 2 -> NODE_DELETED;
                case 3 -> NODE_DATA_CHANGED;
                case 4 -> NODE_CHILDREN_CHANGED;
                default -> null;
            };
        }
    }
}
