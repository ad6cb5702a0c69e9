package io.corral.bench.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** The members of one running ensemble (Corral or ZooKeeper); closing it ends every member by its pid. */
final class Ensemble implements AutoCloseable {
    final ServerKind kind;
    /** The members, in id order; a member started again replaces its predecessor ({@link #replace}). */
    final List<LaunchedServer> members;
    private final ChildProcesses children;

    Ensemble(ServerKind kind, List<LaunchedServer> members, ChildProcesses children) {
        this.kind = kind;
        this.members = new CopyOnWriteArrayList<>(members);
        this.children = children;
    }

    /** Every member's client address. */
    String connectString() {
        return members.stream().map(LaunchedServer::address).collect(Collectors.joining(","));
    }

    /** The participants' client addresses (observers left out). */
    String participantConnectString() {
        return members.stream().filter(m -> !m.observer).map(LaunchedServer::address)
                .collect(Collectors.joining(","));
    }

    int participants() {
        return (int) members.stream().filter(m -> !m.observer).count();
    }

    int observers() {
        return members.size() - participants();
    }

    /** The one running member whose srvr says leader, or null (none, or more than one, answers so). */
    LaunchedServer leader() {
        List<LaunchedServer> leaders = new ArrayList<>();
        for (LaunchedServer m : members) {
            if ("leader".equals(m.mode())) {
                leaders.add(m);
            }
        }
        return leaders.size() == 1 ? leaders.get(0) : null;
    }

    /** {@code fresh} is {@code old} started again (same id, directory and ports). */
    void replace(LaunchedServer old, LaunchedServer fresh) {
        members.set(members.indexOf(old), fresh);
    }

    /** kill -9 of one member's pid; returns its exit status once it is gone. */
    int kill9(LaunchedServer member) throws InterruptedException {
        children.kill9(member.process);
        return member.process.exitValue();
    }

    /** SIGTERM to one member's pid (SIGKILL after 15 s); returns its exit status once it is gone. */
    int stop(LaunchedServer member) {
        children.stop(member.process);
        return member.process.isAlive() ? -1 : member.process.exitValue();
    }

    @Override
    public void close() {
        members.forEach(m -> children.stop(m.process));
    }

    @Override
    public String toString() {
        return kind.title + " ensemble of " + participants() + " participants"
                + (observers() > 0 ? " + " + observers() + " observer(s)" : "");
    }
}
