package io.corral.server.zab;

/**
 * What a node needs to change its membership at run time ({@code reconfigEnabled=true}): the last configuration it
 * saw committed (persisted by the shell on every {@link ZabOutput.ActivateMembership}, the static one at first start),
 * and how to recognise reconfig txns in the log.
 */
public record Reconfiguration(Membership committed, MembershipDecoder decoder) {
}
