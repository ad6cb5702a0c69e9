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
 *       {@code firstZxid}, {@code snapshotZxid}, {@code readAfter}, and the two epochs. The node reads the whole
 *       log once when it is built (to index the epochs of its history).</li>
 * </ul>
 */
package io.corral.server.zab;
