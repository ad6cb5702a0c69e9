package io.corral.server.ops;

import io.corral.log.SnapshotFile;
import io.corral.server.config.EnsembleConfig;
import io.corral.server.quorum.MemberState;
import io.corral.server.quorum.ObserverStatus;
import io.corral.server.txn.TxnHeader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The admin commands about the server's place in the ensemble and its snapshots, with ZooKeeper 3.9's fields:
 * {@code leader}, {@code zabstate}, {@code voting_view}, {@code observers}, {@code last_snapshot}. A standalone server answers as
 * ZooKeeper's does. Run on the sequencer thread, like every command.
 */
final class EnsembleCommands {

    private EnsembleCommands() {
    }

    static Map<String, Object> leader(ServerView server) {
        Map<String, Object> answer = new LinkedHashMap<>();
        MemberState state = server.quorum().memberState();
        if (state == null) {
            answer.put("error", "server is not initialized"); // ZooKeeper's answer on a standalone server
            return answer;
        }
        EnsembleConfig ensemble = server.config().ensemble().orElseThrow();
        EnsembleConfig.Member leader = ensemble.members().get(state.leaderId());
        answer.put("is_leader", server.mode().equals("leader"));
        answer.put("leader_id", state.leaderId());
        answer.put("leader_ip", leader == null ? "" : leader.peerAddress().getHostString());
        return answer;
    }

    /**
     * ZooKeeper's zabstate, its two peer addresses in the JSON form of ZooKeeper's address objects
     * ({@link #addresses}); a standalone server is not voting, in no phase.
     */
    static Map<String, Object> zabState(ServerView server) {
        Map<String, Object> answer = new LinkedHashMap<>();
        MemberState state = server.quorum().memberState();
        if (state == null) {
            answer.put("voting", false);
            answer.put("zabstate", "");
            return answer;
        }
        EnsembleConfig ensemble = server.config().ensemble().orElseThrow();
        long zxid = server.lastZxid();
        answer.put("myid", ensemble.myId());
        answer.put("is_leader", server.mode().equals("leader"));
        EnsembleConfig.Member me = ensemble.me();
        answer.put("quorum_address", addresses(me.peerAddress()));
        answer.put("election_address", addresses(new InetSocketAddress(me.peerAddress().getHostString(),
                me.electionPort())));
        answer.put("client_address", me.clientAddress() == null ? "" : hostPort(me.clientAddress()));
        answer.put("voting", !ensemble.isObserver());
        answer.put("last_zxid", "0x" + Long.toHexString(zxid));
        answer.put("zab_epoch", TxnHeader.epochOf(zxid));
        answer.put("zab_counter", TxnHeader.counterOf(zxid));
        answer.put("zabstate", state.zabState().toLowerCase(Locale.ROOT));
        return answer;
    }

    /**
     * The leader's synchronised observers, each as ZooKeeper's LearnerHandler describes it; none on another server
     * (Corral's observers always follow the leader, never a follower).
     */
    static Map<String, Object> observers(ServerView server) {
        List<Map<String, Object>> observers = new ArrayList<>();
        for (ObserverStatus o : server.quorum().observers()) {
            Map<String, Object> observer = new LinkedHashMap<>();
            observer.put("remote_socket_address", o.remoteAddress());
            observer.put("sid", o.sid());
            observer.put("established", o.established());
            observer.put("queued_packets", o.queuedPackets());
            observer.put("queued_packets_size", o.queuedBytes());
            observer.put("packets_received", o.packetsReceived());
            observer.put("packets_sent", o.packetsSent());
            observer.put("requests", o.requests());
            observer.put("last_zxid", o.lastZxid());
            observers.add(observer);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("synced_observers", observers.size());
        answer.put("observers", observers);
        return answer;
    }

    /** The voting members, keyed by id, as ZooKeeper's voting_view lists them; none standalone. */
    static Map<String, Object> votingView(ServerView server) {
        Map<String, Object> members = new LinkedHashMap<>();
        server.config().ensemble().ifPresent(ensemble -> ensemble.members().values().stream()
                .filter(member -> !member.observer())
                .forEach(member -> members.put(Long.toString(member.id()), member(member))));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("current_config", members);
        return answer;
    }

    private static Map<String, Object> member(EnsembleConfig.Member member) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("server_addresses", List.of(hostPort(member.peerAddress())));
        view.put("election_addresses", List.of(member.peerAddress().getHostString() + ":" + member.electionPort()));
        view.put("client_address", member.clientAddress() == null ? "" : hostPort(member.clientAddress()));
        view.put("learner_type", member.observer() ? "observer" : "participant");
        return view;
    }

    /**
     * One peer address as ZooKeeper's AdminServer writes its address objects (a server line's address, which may
     * list several): with one address, each of its views is that address.
     */
    private static Map<String, Object> addresses(InetSocketAddress address) {
        String one = hostPort(address);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("empty", false);
        view.put("all_addresses", List.of(one));
        view.put("wildcard_addresses", List.of("0.0.0.0:" + address.getPort()));
        view.put("all_ports", List.of(address.getPort()));
        view.put("all_host_strings", List.of(address.getHostString()));
        view.put("reachable_address", one);
        view.put("all_reachable_addresses", List.of(one));
        view.put("all_reachable_addresses_or_all", List.of(one));
        view.put("reachable_or_one", one);
        view.put("one", one);
        return view;
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /**
     * The newest snapshot on disk, as ZooKeeper's last_snapshot: its zxid in hex and its file's time in seconds; -1
     * (ffffffffffffffff) for both when there is none.
     */
    static Map<String, Object> lastSnapshot(ServerView server) {
        Map<String, Object> answer = new LinkedHashMap<>();
        List<Path> snapshots = SnapshotFile.list(server.snapshotDirectory());
        long zxid = -1;
        long timestamp = -1;
        if (!snapshots.isEmpty()) {
            Path newest = snapshots.get(0);
            zxid = SnapshotFile.zxidOf(newest);
            try {
                timestamp = Files.getLastModifiedTime(newest).toMillis() / 1000;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the time of " + newest, e);
            }
        }
        answer.put("zxid", Long.toHexString(zxid));
        answer.put("timestamp", timestamp);
        return answer;
    }
}
