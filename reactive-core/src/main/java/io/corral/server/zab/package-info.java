/**
 * ZAB, the replication protocol of the ensemble, as a deterministic core: {@link io.corral.server.zab.ZabNode}
 * does no I/O, reads no clock, starts no thread and draws no global randomness. The shell around it owns the peer
 * connections, the timer, the log and the state machine.
 *
 * <h2>The shell's side of the contract</h2>
 * <ul>
 *   <li>One thread calls the node: {@code tick()} every tickTime, {@code receive} for each decoded peer message
 *       ({@link io.corral.server.zab.ZabCodec}), {@code connected}/{@code disconnected} for each peer connection,
 *       {@code persisted(z)} when the log is durable up to the Persist of zxid {@code z}, {@code propose} on an
 *       established leader, {@code snapshotTaken} to answer a TakeSnapshot. After each call (or a batch of them) it
 *       calls {@code drain()} and performs the outputs in order.</li>
 *   <li>Per peer, messages must arrive in the order they were sent and a lost message must come with a lost
 *       connection (TCP gives both): the messages of a connection are handed to the node before its
 *       {@code disconnected}, and those of a new connection after its {@code connected}. Sending to a peer without a
 *       connection drops the message. The shell keeps trying to connect to every member.</li>
 *   <li>Persist appends asynchronously; PersistEpochs, Truncate and InstallSnapshot are durable before any later
 *       output is performed. {@code persisted(z)} names the zxid of a Persist output (typically the last of a synced
 *       batch); a late report about an entry a Truncate has since removed is ignored.</li>
 *   <li>Commit(z): apply, in order, the log's entries above the applied zxid up to {@code z}. The node is built with
 *       the zxid of the state the shell restored at start ({@code appliedZxid}: its newest snapshot); the log beyond
 *       it is applied only when committed again.</li>
 *   <li>TakeSnapshot(peer): after applying the drain's Commits, serialise the state machine and call
 *       {@code snapshotTaken(peer, appliedZxid, bytes)}, possibly later. The log must keep every entry after that
 *       zxid. InstallSnapshot(z, bytes): replace the state machine, and start the log afresh after {@code z}.</li>
 *   <li>RoleChange: close client connections and drop uncommitted client work. Serving: the leader may propose
 *       (zxid {@code nextZxid()}), a learner may serve clients.</li>
 *   <li>{@link io.corral.server.zab.ZabStorage} is read synchronously on the node's thread: {@code lastZxid},
 *       {@code firstZxid}, {@code snapshotZxid}, {@code readAfter}, and the two epochs. When it is built the node
 *       seeks to each epoch's last entry with {@code readAfter} (to index the epochs of its history): a few dozen
 *       short reads per epoch, so {@code readAfter} should find its start without scanning from the log's first
 *       entry.</li>
 * </ul>
 *
 * <h2>Membership changes ({@code reconfigEnabled=true})</h2>
 *
 * <p>Built with a {@link io.corral.server.zab.Reconfiguration} (the last committed configuration the shell persisted,
 * and a {@link io.corral.server.zab.MembershipDecoder} that recognises reconfig txns in the log), a node's membership
 * is versioned state, as in ZooKeeper: a reconfig txn's configuration has the txn's zxid as version, commits only with
 * a quorum of the old and of the new voters (so does every txn after it while it is pending), and becomes active when
 * committed ({@link io.corral.server.zab.ZabOutput.ActivateMembership}: the shell persists it before any later output,
 * and opens links to the members it adds). Until it knows which decides, a node counts every quorum (votes, the
 * epoch, establishment, commits, read index) in each configuration in force: the committed one and those pending in
 * its log. The leader proposes one reconfig at a time and none whose voters lack a synchronised quorum
 * ({@code propose} throws: ZooKeeper's RECONFIGINPROGRESS and NewConfigNoQuorum). A server in no configuration
 * follows without a vote until a reconfig adds it; one a committed reconfig removes stops serving and joins no
 * leader; a leader that is no longer a voter hands over to the new voter holding the most of its history; a learner
 * whose role changed joins again in its new role. A learner synchronised from a snapshot gets the configuration with
 * it, and each vote is preceded by its sender's committed (and pending) configuration, so that a server that missed a
 * reconfig counts votes with the right one. With reconfiguration a leader's epochs are those congruent to its id
 * modulo {@link io.corral.server.zab.Membership#EPOCH_STRIDE}, whatever the configuration.
 *
 * <h2>Read index: linearizable reads</h2>
 *
 * <p>ZooKeeper serves reads from the local state of whichever server a client is connected to, and its {@code sync}
 * only asks the leader to flush its pipeline: a leader that has already been replaced (it is partitioned and has not
 * noticed yet) answers a sync from its own stale state, so sync followed by a read is not linearizable. The core
 * offers a read index instead (the model is etcd raft's ReadIndex):
 *
 * <ol>
 *   <li>The shell calls {@link io.corral.server.zab.ZabNode#readIndex(long)} on an established leader. The core
 *       records the request with its index: the leader's committed zxid at that moment.</li>
 *   <li>Every heartbeat ({@link io.corral.server.zab.ZabMessage.Ping}) carries a number that grows with each one the
 *       leader sends in its term, and learners echo the number of the heartbeat they answer. If no round is in flight,
 *       the request makes the leader send a heartbeat to its voters at once; otherwise it waits for the next round
 *       (one round serves every request pending when it is sent). Without pending requests nothing is added to the
 *       normal path: the tick heartbeats simply carry the number.</li>
 *   <li>Once a quorum of voters (the leader counts itself) has answered, in the leader's epoch and as synchronised
 *       followers of this term, a heartbeat sent after the request, the core emits
 *       {@link io.corral.server.zab.ZabOutput.ReadIndex}(requestId, index).</li>
 *   <li>If the leader stops leading first, it emits {@link io.corral.server.zab.ZabOutput.ReadIndexFailed} for every
 *       pending request, before the {@link io.corral.server.zab.ZabOutput.RoleChange}. Nothing is ever dropped
 *       silently (a crash, of course, loses the requests with everything else in memory).</li>
 * </ol>
 *
 * <p>The guarantee: every txn whose commit any server knew of when {@code readIndex} was called is at or below the
 * index it is confirmed with. Why: a voter that answers a heartbeat of epoch {@code e} sent after the call was
 * following this leader in {@code e} after the call; a voter never accepts an epoch without leaving its leader, and
 * never follows a leader of an epoch below the one it accepted. So when the call was made no quorum of voters had
 * accepted an epoch above {@code e} (the quorums intersect), hence no later leader had been established or
 * committed anything; everything committed in earlier epochs was committed by this leader when it was established,
 * and everything committed in {@code e} was committed by this leader first. A read served, after the confirmation,
 * from a state that has applied at least up to the index therefore sees every write that completed before the read
 * began: it is linearizable. The shell's part: answer the client (or the learner that forwarded its sync) with the
 * index, and have the serving server apply up to it before it serves the read.
 *
 * <p>The simulation checks both the guarantee (no confirmed index below a commit known at the call) and its cause
 * (no confirmation in epoch {@code e} of a request made when a quorum of voters had accepted a later epoch).
 */
package io.corral.server.zab;
