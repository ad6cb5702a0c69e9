package io.corral.client;

import java.util.List;

import io.corral.protocol.Acl;
import io.corral.protocol.Stat;

/** A node's ACL and its Stat, as getACL returns them. */
public record NodeAcl(List<Acl> acl, Stat stat) {
}
