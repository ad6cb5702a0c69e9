package io.corral.server.peer;

/**
 * A link to a peer as the operators see it (ZooKeeper's observers command): the peer's socket address, and the
 * messages (and their bytes) queued for it that the link has not written yet.
 */
public record PeerLinkStatus(String remoteAddress, int queuedMessages, long queuedBytes) {
}
