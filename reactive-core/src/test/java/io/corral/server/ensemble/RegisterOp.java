package io.corral.server.ensemble;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One client operation on a register (a znode whose data is the value), as a history records it: what was asked,
 * when (System.nanoTime at invocation and at completion), and what came back.
 *
 * <p>The register follows ZooKeeper's znode semantics: it is absent or holds a value with a version; {@code create}
 * makes it present at version 0, every applied {@code write} (setData with version -1) or {@code cas} (setData with
 * an expected version) bumps the version by one.
 *
 * @param process         who issued it (a client number), for explanations only
 * @param key             the register (a znode path)
 * @param kind            what was asked
 * @param argument        the value to write (null for a read)
 * @param expectedVersion the version a {@code cas} requires (ignored by the other kinds)
 * @param invokeNanos     System.nanoTime when the operation was issued
 * @param completeNanos   System.nanoTime when its result arrived, or {@link #NEVER} when the outcome is unknown
 * @param outcome         what came back
 * @param readValue       a read's value (null when absent)
 * @param version         the version a read saw or an applied write/cas/create produced; {@link #NO_VERSION} when
 *                        not known (then it is not checked)
 */
public record RegisterOp(int process, String key, Kind kind, String argument, int expectedVersion, long invokeNanos,
        long completeNanos, Outcome outcome, String readValue, int version) {

    /** The completion time of an operation whose outcome is unknown: it may take effect any time after its invoke. */
    public static final long NEVER = Long.MAX_VALUE;
    public static final int NO_VERSION = -1;

    public enum Kind { READ, WRITE, CAS, CREATE }

    /** What a client learned. Every outcome except {@link #UNKNOWN} is definite. */
    public enum Outcome {
        /** Applied (write/cas/create) or answered (read: the value, or absent when readValue is null). */
        OK,
        /** The register did not exist (ZooKeeper NONODE): nothing changed. */
        NO_NODE,
        /** A cas whose expected version did not match (ZooKeeper BADVERSION): nothing changed. */
        BAD_VERSION,
        /** A create of a register that already existed (ZooKeeper NODEEXISTS): nothing changed. */
        NODE_EXISTS,
        /** No answer (CONNECTIONLOSS, session expired, timeout): it may or may not have taken effect. */
        UNKNOWN
    }

    public RegisterOp {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.UNKNOWN) != (completeNanos == NEVER)) {
            throw new IllegalArgumentException("an operation has no completion time exactly when its outcome is"
                    + " unknown: " + outcome + " completed at " + completeNanos);
        }
        if (completeNanos != NEVER && completeNanos < invokeNanos) {
            throw new IllegalArgumentException("completed before it was invoked: " + invokeNanos + " > "
                    + completeNanos);
        }
        if (kind != Kind.READ && argument == null) {
            throw new IllegalArgumentException(kind + " needs a value");
        }
        boolean possible = switch (kind) {
            case READ -> outcome == Outcome.OK || outcome == Outcome.NO_NODE || outcome == Outcome.UNKNOWN;
            case WRITE -> outcome == Outcome.OK || outcome == Outcome.NO_NODE || outcome == Outcome.UNKNOWN;
            case CAS -> outcome != Outcome.NODE_EXISTS;
            case CREATE -> outcome == Outcome.OK || outcome == Outcome.NODE_EXISTS || outcome == Outcome.UNKNOWN;
        };
        if (!possible) {
            throw new IllegalArgumentException(kind + " cannot end with " + outcome);
        }
    }

    // ---- factories: a read that found nothing is recorded as NO_NODE, so a read's OK always carries a value

    public static RegisterOp read(int process, String key, long invoke, long complete, String value, int version) {
        return value == null
                ? new RegisterOp(process, key, Kind.READ, null, 0, invoke, complete, Outcome.NO_NODE, null, NO_VERSION)
                : new RegisterOp(process, key, Kind.READ, null, 0, invoke, complete, Outcome.OK, value, version);
    }

    public static RegisterOp write(int process, String key, String value, long invoke, long complete,
            Outcome outcome, int newVersion) {
        return new RegisterOp(process, key, Kind.WRITE, value, 0, invoke, complete, outcome, null, newVersion);
    }

    public static RegisterOp cas(int process, String key, int expectedVersion, String value, long invoke,
            long complete, Outcome outcome) {
        return new RegisterOp(process, key, Kind.CAS, value, expectedVersion, invoke, complete, outcome, null,
                outcome == Outcome.OK ? expectedVersion + 1 : NO_VERSION);
    }

    public static RegisterOp create(int process, String key, String value, long invoke, long complete,
            Outcome outcome) {
        return new RegisterOp(process, key, Kind.CREATE, value, 0, invoke, complete, outcome, null,
                outcome == Outcome.OK ? 0 : NO_VERSION);
    }

    /** The same operation with its outcome forgotten (a lost reply). */
    public RegisterOp withUnknownOutcome() {
        return new RegisterOp(process, key, kind, argument, expectedVersion, invokeNanos, NEVER, Outcome.UNKNOWN,
                null, NO_VERSION);
    }

    public boolean unknown() {
        return outcome == Outcome.UNKNOWN;
    }

    /** e.g. {@code c3 cas(v4 -> "x") = BAD_VERSION} or {@code c1 read = "y" v7}. */
    public String describe() {
        String call = switch (kind) {
            case READ -> "read";
            case WRITE -> "write(\"" + argument + "\")";
            case CAS -> "cas(v" + expectedVersion + " -> \"" + argument + "\")";
            case CREATE -> "create(\"" + argument + "\")";
        };
        String result;
        if (outcome == Outcome.OK && kind == Kind.READ) {
            result = "\"" + readValue + "\"" + versionText();
        } else if (outcome == Outcome.OK) {
            result = "OK" + versionText();
        } else if (outcome == Outcome.NO_NODE && kind == Kind.READ) {
            result = "absent";
        } else {
            result = outcome.toString();
        }
        return "c" + process + " " + call + " = " + result;
    }

    /** {@link #describe()} with the interval, in ms relative to {@code originNanos}. */
    public String describe(long originNanos) {
        return String.format("%-44s [%s, %s]", describe(), millis(invokeNanos - originNanos),
                completeNanos == NEVER ? "never" : millis(completeNanos - originNanos));
    }

    private String versionText() {
        return version == NO_VERSION ? "" : " v" + version;
    }

    private static String millis(long nanos) {
        return String.format("%.3f ms", nanos / (double) TimeUnit.MILLISECONDS.toNanos(1));
    }
}
