package io.corral.server.quorum;

/**
 * One synchronised observer of a leader, as ZooKeeper's {@code observers} admin command lists it (its
 * LearnerHandler's info).
 *
 * @param established     since when (epoch milliseconds) its link is up
 * @param queuedBytes     bytes of the {@code queuedPackets} messages waiting to be written to it
 * @param packetsReceived messages received from it, {@code packetsSent} sent to it
 * @param requests        its clients' requests it forwarded
 * @param lastZxid        the zxid of the last message sent to it that carried one (-1: none since a reset)
 */
public record ObserverStatus(long sid, String remoteAddress, long established, int queuedPackets, long queuedBytes,
                             long packetsReceived, long packetsSent, long requests, long lastZxid) {
}
