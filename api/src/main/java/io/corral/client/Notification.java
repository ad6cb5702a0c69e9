package io.corral.client;

/**
 * A watch notification exactly as the server sent it: the raw {@code EventType} and {@code KeeperState} codes, the
 * client path (chroot removed) and the zxid of the change that fired it. One per notification frame, however many
 * watches of this client it concerns (see {@link CorralClient#notifications()}).
 */
public record Notification(int type, int state, String path, long zxid) {
}
