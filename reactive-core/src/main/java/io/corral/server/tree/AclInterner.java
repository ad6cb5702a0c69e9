package io.corral.server.tree;

import io.corral.protocol.Acl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Most nodes share a handful of ACL lists; storing one immutable instance per distinct list keeps a large tree
 * small. Entries are never released: the number of distinct ACL lists in practice stays tiny.
 */
final class AclInterner {
    private final Map<List<Acl>, List<Acl>> lists = new HashMap<>();
    /** The list last asked for and its interned instance: a snapshot's nodes share one list object per frame. */
    private List<Acl> lastAsked;
    private List<Acl> lastInterned;

    List<Acl> intern(List<Acl> acl) {
        if (acl == lastAsked) {
            return lastInterned;
        }
        List<Acl> existing = lists.get(acl);
        if (existing == null) {
            existing = List.copyOf(acl);
            lists.put(existing, existing);
        }
        lastAsked = acl;
        lastInterned = existing;
        return existing;
    }
}
