package io.corral.server.quorum;

import io.corral.server.peer.PeerEvent;
import io.corral.server.peer.PeerNetwork;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;

/**
 * One server's {@link PeerNetwork} in the simulation: what its transport would tell the shell, over the connections
 * of {@link SimLinks}. As the real transport, it routes a message to the link it last attached for that peer (which
 * may be dead already without this end knowing: the message is then lost, and the end learns of the loss later),
 * and reports a replaced link's {@code Disconnected} after the new link's {@code Connected}.
 */
final class SimNetwork implements PeerNetwork {

    final long id;
    private final SimLinks links;
    private final Runnable wake;
    private final ArrayDeque<PeerEvent> inbox = new ArrayDeque<>();
    /** peer -> the link this end's transport routes to */
    private final Map<Long, Long> attached = new TreeMap<>();
    private boolean dead;

    SimNetwork(long id, SimLinks links, Runnable wake) {
        this.id = id;
        this.links = links;
        this.wake = wake;
    }

    @Override
    public boolean send(long peer, byte[] message) {
        Long link = attached.get(peer);
        return !dead && link != null && links.send(this, peer, link, message);
    }

    @Override
    public PeerEvent poll() {
        return inbox.poll();
    }

    @Override
    public boolean hasEvents() {
        return !inbox.isEmpty();
    }

    @Override
    public void disconnect(long peer, String reason) {
        Long link = attached.get(peer);
        if (!dead && link != null) {
            links.closeFrom(this, peer, link, reason);
        }
    }

    @Override
    public void close() {
        links.crash(this);
    }

    boolean dead() {
        return dead;
    }

    /** the server crashed: its transport is gone with whatever it had not handed to the shell */
    void kill() {
        dead = true;
        inbox.clear();
        attached.clear();
    }

    Long attached(long peer) {
        return attached.get(peer);
    }

    // --- what the links report, in the order this end sees it

    void connected(long peer, long link) {
        Long old = attached.put(peer, link);
        inbox.add(new PeerEvent.Connected(peer, link));
        if (old != null) {
            inbox.add(new PeerEvent.Disconnected(peer, old)); // the new link replaced it, which closed it
        }
        wake.run();
    }

    /** the link to {@code peer} is gone, if it is still the one this end routes to */
    void lost(long peer, long link) {
        if (attached.remove(peer, link)) {
            inbox.add(new PeerEvent.Disconnected(peer, link));
            wake.run();
        }
    }

    void received(long peer, long link, Object message) {
        if (!Long.valueOf(link).equals(attached.get(peer))) {
            throw new AssertionError("server " + id + " receives on link " + link + " from " + peer
                    + " before it attached it (attached: " + attached.get(peer) + ")");
        }
        inbox.add(new PeerEvent.Received(peer, link, message));
        wake.run();
    }
}
