package io.corral.server.ensemble;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sequential specification of one register with ZooKeeper znode semantics, over states packed in a long so the
 * search can store and hash them cheaply: {@link #ABSENT}, or value id (interned string) in the high half and
 * version in the low half.
 */
final class RegisterModel {

    static final long ABSENT = -1L;
    /** What {@link #step} returns when the operation cannot take place in that state. */
    static final long ILLEGAL = Long.MIN_VALUE;

    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> values = new ArrayList<>();

    /** The packed state "holds {@code value} at version 0", or ABSENT for null. */
    long initial(String value) {
        return value == null ? ABSENT : present(intern(value), 0);
    }

    /**
     * The state after {@code op} took effect in {@code state}, or ILLEGAL if the operation with its recorded
     * outcome is impossible there. An operation of unknown outcome is asked only "could it have been applied here",
     * since "it never happened" needs no step.
     */
    long step(long state, RegisterOp op) {
        boolean present = state != ABSENT;
        int version = present ? (int) state : -1;
        int value = present ? (int) (state >>> 32) : -1;
        if (op.unknown()) {
            return switch (op.kind()) {
                case READ -> state;
                case WRITE -> present ? present(intern(op.argument()), version + 1) : ILLEGAL;
                case CAS -> present && version == op.expectedVersion()
                        ? present(intern(op.argument()), version + 1) : ILLEGAL;
                case CREATE -> present ? ILLEGAL : present(intern(op.argument()), 0);
            };
        }
        switch (op.kind()) {
            case READ:
                if (op.outcome() == RegisterOp.Outcome.NO_NODE) {
                    return present ? ILLEGAL : state;
                }
                return present && value == intern(op.readValue()) && versionMatches(op, version) ? state : ILLEGAL;
            case WRITE:
                if (op.outcome() == RegisterOp.Outcome.NO_NODE) {
                    return present ? ILLEGAL : state;
                }
                return present && versionMatches(op, version + 1) ? present(intern(op.argument()), version + 1)
                        : ILLEGAL;
            case CAS:
                if (op.outcome() == RegisterOp.Outcome.NO_NODE) {
                    return present ? ILLEGAL : state;
                }
                if (op.outcome() == RegisterOp.Outcome.BAD_VERSION) {
                    return present && version != op.expectedVersion() ? state : ILLEGAL;
                }
                return present && version == op.expectedVersion() ? present(intern(op.argument()), version + 1)
                        : ILLEGAL;
            case CREATE:
                if (op.outcome() == RegisterOp.Outcome.NODE_EXISTS) {
                    return present ? state : ILLEGAL;
                }
                return present || !versionMatches(op, 0) ? ILLEGAL : present(intern(op.argument()), 0);
            default:
                throw new IllegalStateException(op.kind().toString());
        }
    }

    /** e.g. {@code "abc" v3} or {@code absent}. */
    String describe(long state) {
        if (state == ABSENT) {
            return "absent";
        }
        return "\"" + values.get((int) (state >>> 32)) + "\" v" + (int) state;
    }

    private static boolean versionMatches(RegisterOp op, int version) {
        return op.version() == RegisterOp.NO_VERSION || op.version() == version;
    }

    private static long present(int valueId, int version) {
        return ((long) valueId << 32) | (version & 0xffffffffL);
    }

    private int intern(String value) {
        Integer id = ids.get(value);
        if (id == null) {
            id = values.size();
            ids.put(value, id);
            values.add(value);
        }
        return id;
    }
}
