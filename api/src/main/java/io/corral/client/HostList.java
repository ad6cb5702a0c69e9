package io.corral.client;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import io.corral.client.ConnectString.HostPort;
import io.corral.protocol.IpLiteral;

/**
 * The servers a client may connect to, in the order it tries them, and the rebalancing of ZooKeeper's client when
 * that list changes ({@code StaticHostProvider#updateServerList}, ZOOKEEPER-1355): the list is shuffled, and a
 * client decides at random whether to move so that every server of the new list ends up with about the same share
 * of the clients. With m servers before and n after:
 * <ul>
 *   <li>the list grew and the client's server stays: it moves to one of the added servers with probability
 *       1 - m/n (the added servers take the load the others shed);</li>
 *   <li>the list grew and its server left: it moves to one of the added servers;</li>
 *   <li>the list shrank or kept its size and its server stays: it stays (its load grows anyway);</li>
 *   <li>its server left otherwise: it moves, to a kept server with the probability that evens out the load, else
 *       to an added one.</li>
 * </ul>
 * After such a decision to move, {@link #next()} draws from the added or the kept servers as decided until one
 * connects ({@link #connected}); once every one of them was tried it goes back to round robin.
 *
 * <p>Not thread-safe: confined to the client's actor.
 */
final class HostList {
    private final Random random;
    private final boolean shuffle;
    private List<HostPort> hosts;
    /** Index of the host {@link #next()} returned last, -1 before the first. */
    private int current = -1;
    /** Index of the host last connected to, -1 if none. */
    private int lastConnected = -1;

    /** Set by an update that moves the client, until it connects or tried every server so drawn. */
    private boolean rebalancing;
    private final List<HostPort> kept = new ArrayList<>();
    private final List<HostPort> added = new ArrayList<>();
    private int keptTried;
    private int addedTried;
    private float probAdded;

    /**
     * @param shuffle whether to shuffle the list now and on every update (ZooKeeper's client always does); without
     *                it, the hosts are tried in the order given
     */
    HostList(List<HostPort> hosts, Random random, boolean shuffle) {
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("no server to connect to");
        }
        this.random = random;
        this.shuffle = shuffle;
        this.hosts = ordered(hosts);
    }

    private List<HostPort> ordered(List<HostPort> given) {
        List<HostPort> list = new ArrayList<>(given);
        if (shuffle) {
            Collections.shuffle(list, random);
        }
        return List.copyOf(list);
    }

    int size() {
        return hosts.size();
    }

    List<HostPort> hosts() {
        return hosts;
    }

    HostPort at(int index) {
        return hosts.get(index);
    }

    /** The position of {@code host} in the list, or -1. */
    int indexOf(HostPort host) {
        return hosts.indexOf(host);
    }

    /** True while the client is on its way to a server drawn by a rebalancing. */
    boolean rebalancing() {
        return rebalancing;
    }

    /** The next server to try: the rebalancing's draw while there is one, else the next in turn. */
    HostPort next() {
        if (rebalancing) {
            HostPort drawn = draw();
            if (drawn != null) {
                current = hosts.indexOf(drawn);
                return drawn;
            }
            rebalancing = false; // every server it could draw was tried: round robin again
        }
        current = (current + 1) % hosts.size();
        return hosts.get(current);
    }

    /** An added server with probability probAdded (or when every kept one was tried), else a kept one. */
    private HostPort draw() {
        boolean takeAdded = random.nextFloat() <= probAdded;
        if (addedTried < added.size() && (takeAdded || keptTried >= kept.size())) {
            return added.get(addedTried++);
        }
        if (keptTried < kept.size()) {
            return kept.get(keptTried++);
        }
        return null;
    }

    /** The client connected to {@code host}: the rebalancing, if any, is over. */
    void connected(HostPort host) {
        int index = hosts.indexOf(host);
        if (index >= 0) {
            current = index;
            lastConnected = index;
        }
        rebalancing = false;
    }

    /** The next {@link #next()} returns {@code host} (a read-write server found while on a read-only one). */
    void nextIs(HostPort host) {
        int index = hosts.indexOf(host);
        if (index >= 0) {
            rebalancing = false;
            current = index - 1;
        }
    }

    /**
     * Replaces the list; true when the client should move to another server ({@link #next()} then draws it).
     *
     * @param currentHost    the server the client is connected to, or null when it is not connected
     * @param currentAddress the address it is connected to (what currentHost resolved to), or null: a server of the
     *                       new list named by that address literally is the same server (the new list of a
     *                       reconfiguration names servers as their configuration does, often by address, where
     *                       the connect string had a name), as ZooKeeper's client compares them
     */
    boolean update(List<HostPort> newHosts, HostPort currentHost, InetAddress currentAddress) {
        if (newHosts.isEmpty()) {
            throw new IllegalArgumentException("no server to connect to");
        }
        if (Set.copyOf(newHosts).equals(Set.copyOf(hosts))) {
            return false; // the same servers: nothing to rebalance (ZooKeeper's client reshuffles and stays)
        }
        List<HostPort> next = ordered(newHosts);
        HostPort mine = currentHost;
        InetAddress mineAddress = currentAddress;
        if (rebalancing) {
            mine = next(); // on its way elsewhere already: judge by where it is going
            mineAddress = null;
        }
        if (mine == null) {
            mine = hosts.get(lastConnected >= 0 ? lastConnected : 0);
        }
        boolean mineStays = indexOf(next, mine, mineAddress) >= 0;
        Set<HostPort> before = new HashSet<>(hosts);
        kept.clear();
        added.clear();
        for (HostPort h : next) {
            (before.contains(h) ? kept : added).add(h);
        }
        int m = hosts.size();
        int n = next.size();
        boolean move;
        if (n > m) {
            // more servers: each of the m old ones sheds 1 - m/n of its clients to the added ones
            move = !mineStays || random.nextFloat() <= 1 - (float) m / n;
            probAdded = 1;
        } else if (mineStays) {
            move = false; // as many servers or fewer: the kept ones take more clients, none leaves them
        } else {
            // its server left: to a kept server with the probability that brings each to n/m of its load
            float probKept = (float) (kept.size() * (m - n)) / (n * (m - kept.size()));
            probAdded = 1 - probKept;
            move = true;
        }
        rebalancing = move;
        keptTried = 0;
        addedTried = 0;
        HostPort was = current >= 0 && current < hosts.size() ? hosts.get(current) : null;
        hosts = next;
        current = move || was == null ? -1 : indexOf(hosts, was, was.equals(currentHost) ? currentAddress : null);
        lastConnected = current;
        return move;
    }

    /**
     * Where {@code host} is in {@code list}: the same port and the same name, or a name that is literally its
     * {@code address} (no name is looked up: this runs on the client's actor, which must not block).
     */
    private static int indexOf(List<HostPort> list, HostPort host, InetAddress address) {
        int byName = list.indexOf(host);
        if (byName >= 0 || address == null) {
            return byName;
        }
        for (int i = 0; i < list.size(); i++) {
            HostPort h = list.get(i);
            if (h.port() == host.port() && address.equals(IpLiteral.parse(h.host()))) {
                return i;
            }
        }
        return -1;
    }
}
