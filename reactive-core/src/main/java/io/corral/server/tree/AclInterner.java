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

    List<Acl> intern(List<Acl> acl) {
        List<Acl> existing = lists.get(acl);
        if (existing != null) {
            return existing;
        }
        List<Acl> copy = List.copyOf(acl);
        lists.put(copy, copy);
        return copy;
    }
}
