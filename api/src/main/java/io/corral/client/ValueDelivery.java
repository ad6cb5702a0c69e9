package io.corral.client;

/** Which values {@link CorralClient#watchData(String, ValueDelivery)} and {@code watchChildren} deliver. */
public enum ValueDelivery {
    /**
     * The latest value after each change, by re-reading under a one-shot watch (ZooKeeper's way): the last value is
     * never missed; values that were replaced before the read are.
     */
    LATEST,
    /**
     * Every value, in zxid order, from a Corral server's resumable stream; against ZooKeeper, which has no such
     * stream, the same as {@link #LATEST}.
     */
    EVERY
}
