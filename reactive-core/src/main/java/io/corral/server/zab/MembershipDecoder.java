package io.corral.server.zab;

import io.corral.log.LogEntry;

/**
 * How the core recognises a reconfig txn among log entries, whose bodies are the shell's: the configuration an entry
 * proposes (its version being the entry's zxid), or null for any other txn.
 */
@FunctionalInterface
public interface MembershipDecoder {

    Membership decode(LogEntry entry);
}
