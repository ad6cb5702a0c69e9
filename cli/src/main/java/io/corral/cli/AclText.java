package io.corral.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.corral.protocol.Acl;
import io.corral.protocol.Id;
import io.corral.protocol.Perms;

/** ACLs as zkCli reads and writes them: {@code scheme:id:perms[,...]} with perms from {@code cdrwa}. */
final class AclText {
    private AclText() {
    }

    /**
     * Parses {@code scheme:id:perm,...}; like zkCli, an entry without two colons is reported on {@code err} and left
     * out, and so is each unknown permission letter.
     */
    static List<Acl> parse(String text, PrintStream err) {
        List<Acl> acl = new ArrayList<>();
        for (String entry : text.split(",")) {
            int first = entry.indexOf(':');
            int last = entry.lastIndexOf(':');
            if (first == -1 || first == last) {
                err.println(entry + " does not have the form scheme:id:perm");
                continue;
            }
            acl.add(new Acl(perms(entry.substring(last + 1), err),
                    new Id(entry.substring(0, first), entry.substring(first + 1, last))));
        }
        return acl;
    }

    private static int perms(String letters, PrintStream err) {
        int perms = 0;
        for (char c : letters.toCharArray()) {
            switch (c) {
                case 'r' -> perms |= Perms.READ;
                case 'w' -> perms |= Perms.WRITE;
                case 'c' -> perms |= Perms.CREATE;
                case 'd' -> perms |= Perms.DELETE;
                case 'a' -> perms |= Perms.ADMIN;
                default -> err.println("Unknown perm type: " + c);
            }
        }
        return perms;
    }

    /** The letters of a permission mask, in zkCli's order. */
    static String perms(int perms) {
        StringBuilder sb = new StringBuilder();
        if ((perms & Perms.CREATE) != 0) {
            sb.append('c');
        }
        if ((perms & Perms.DELETE) != 0) {
            sb.append('d');
        }
        if ((perms & Perms.READ) != 0) {
            sb.append('r');
        }
        if ((perms & Perms.WRITE) != 0) {
            sb.append('w');
        }
        if ((perms & Perms.ADMIN) != 0) {
            sb.append('a');
        }
        return sb.toString();
    }

    /** getAcl's output: {@code 'scheme,'id} then {@code : perms} per entry. */
    static void print(PrintStream out, List<Acl> acl) {
        for (Acl a : acl) {
            out.println("'" + a.id().scheme() + ",'" + a.id().id());
            out.println(": " + perms(a.perms()));
        }
    }
}
