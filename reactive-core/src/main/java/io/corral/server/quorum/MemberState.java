package io.corral.server.quorum;

/**
 * An ensemble member's place in it, as ZooKeeper's {@code leader} and {@code zabstate} admin commands show it.
 *
 * @param leaderId the server it leads, follows or observes; -1 while looking
 * @param zabState ZooKeeper's phase names: {@code ELECTION} while looking, {@code BROADCAST} once it serves clients,
 *                 {@code SYNCHRONIZATION} between (Corral's core does not tell discovery from synchronisation apart)
 */
public record MemberState(long leaderId, String zabState) {
}
