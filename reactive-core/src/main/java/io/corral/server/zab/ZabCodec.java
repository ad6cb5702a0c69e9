package io.corral.server.zab;

import io.corral.log.LogEntry;
import io.corral.server.zab.ZabMessage.Ack;
import io.corral.server.zab.ZabMessage.AckEpoch;
import io.corral.server.zab.ZabMessage.AckNewLeader;
import io.corral.server.zab.ZabMessage.App;
import io.corral.server.zab.ZabMessage.Commit;
import io.corral.server.zab.ZabMessage.Diff;
import io.corral.server.zab.ZabMessage.FollowerInfo;
import io.corral.server.zab.ZabMessage.Handover;
import io.corral.server.zab.ZabMessage.Inform;
import io.corral.server.zab.ZabMessage.LeaderInfo;
import io.corral.server.zab.ZabMessage.NewLeader;
import io.corral.server.zab.ZabMessage.ObserverInfo;
import io.corral.server.zab.ZabMessage.Ping;
import io.corral.server.zab.ZabMessage.Proposal;
import io.corral.server.zab.ZabMessage.Snap;
import io.corral.server.zab.ZabMessage.SnapChunk;
import io.corral.server.zab.ZabMessage.SnapMembership;
import io.corral.server.zab.ZabMessage.SyncAck;
import io.corral.server.zab.ZabMessage.Trunc;
import io.corral.server.zab.ZabMessage.UpToDate;
import io.corral.server.zab.ZabMessage.Vote;

import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.Set;

/**
 * Encodes every {@link ZabMessage} as one type byte followed by its fields (big-endian; byte arrays and long arrays
 * prefixed by their length). Decoding reads exactly one message from the whole input: a short, long or impossible
 * input is a {@link MalformedMessageException}, never a partial message, and no length read from the input is
 * allocated before it is checked against the bytes actually present.
 */
public final class ZabCodec {

    private static final byte VOTE = 1;
    private static final byte FOLLOWER_INFO = 2;
    private static final byte OBSERVER_INFO = 3;
    private static final byte LEADER_INFO = 4;
    private static final byte ACK_EPOCH = 5;
    private static final byte DIFF = 6;
    private static final byte TRUNC = 7;
    private static final byte SNAP = 8;
    private static final byte NEW_LEADER = 9;
    private static final byte ACK_NEW_LEADER = 10;
    private static final byte UP_TO_DATE = 11;
    private static final byte PROPOSAL = 12;
    private static final byte ACK = 13;
    private static final byte COMMIT = 14;
    private static final byte INFORM = 15;
    private static final byte PING = 16;
    private static final byte APP = 17;
    private static final byte SNAP_CHUNK = 18;
    private static final byte SYNC_ACK = 19;
    private static final byte HANDOVER = 20;
    private static final byte SNAP_MEMBERSHIP = 21;
    private static final byte CONFIG_NOTICE = 22;
    private static final byte HANDOVER_INFO = 23;
    private static final byte HANDOVER_SYNC = 24;

    private static final Role[] ROLES = Role.values();
    /** zxid, sessionId, cxid, time, type, body length */
    private static final int ENTRY_HEADER = 8 + 8 + 4 + 8 + 4 + 4;

    private final int maxMessageSize;

    /** @param maxMessageSize the largest encoding accepted, in bytes (a proposal's entry must fit) */
    public ZabCodec(int maxMessageSize) {
        if (maxMessageSize < 64) {
            throw new IllegalArgumentException("maxMessageSize too small: " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** the encoding of {@code m}; an IllegalArgumentException if it would exceed the maximum message size */
    public byte[] encode(ZabMessage m) {
        long size = 1 + bodySize(m);
        if (size > maxMessageSize) {
            throw new IllegalArgumentException("message of " + size + " bytes exceeds " + maxMessageSize + ": " + m);
        }
        ByteBuffer b = ByteBuffer.allocate((int) size);
        write(m, b);
        if (b.hasRemaining()) {
            throw new IllegalStateException("size mismatch encoding " + m);
        }
        return b.array();
    }

    public ZabMessage decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** decodes the remaining bytes of {@code in} as exactly one message (consuming them) */
    public ZabMessage decode(ByteBuffer in) {
        if (in.remaining() > maxMessageSize) {
            throw new MalformedMessageException("message of " + in.remaining() + " bytes exceeds " + maxMessageSize);
        }
        Reader r = new Reader(in);
        byte type = r.u8();
        ZabMessage m = switch (type) {
            case VOTE -> new Vote(r.i64(), r.i64(), r.i64(), r.i64(), r.role());
            case FOLLOWER_INFO -> new FollowerInfo(r.i64(), r.i64(), r.i64());
            case OBSERVER_INFO -> new ObserverInfo(r.i64(), r.i64(), r.i64());
            case LEADER_INFO -> new LeaderInfo(r.i64(), r.i64());
            case ACK_EPOCH -> new AckEpoch(r.i64(), r.i64(), r.i64(), r.i64(), r.longs());
            case DIFF -> new Diff(r.i64());
            case TRUNC -> new Trunc(r.i64());
            case SNAP -> new Snap(r.i64(), r.i64());
            case SNAP_CHUNK -> new SnapChunk(r.bytes());
            case SYNC_ACK -> new SyncAck(r.i64(), r.i64());
            case NEW_LEADER -> new NewLeader(r.i64(), r.i64());
            case ACK_NEW_LEADER -> new AckNewLeader(r.i64(), r.i64());
            case UP_TO_DATE -> new UpToDate(r.i64(), r.i64());
            case PROPOSAL -> new Proposal(r.entry());
            case ACK -> new Ack(r.i64());
            case COMMIT -> new Commit(r.i64());
            case INFORM -> new Inform(r.entry());
            case PING -> new Ping(r.i64(), r.i64(), r.i64());
            case APP -> new App(r.i32(), r.bytes());
            case HANDOVER -> new Handover(r.i64(), r.i64(), r.i64());
            case HANDOVER_INFO -> new ZabMessage.HandoverInfo(r.i64(), r.i64(), r.i64());
            case HANDOVER_SYNC -> new ZabMessage.HandoverSync(r.i64(), r.i64(), r.i64());
            case SNAP_MEMBERSHIP -> new SnapMembership(membership(r.i64(), r.longs(), r.longs()));
            case CONFIG_NOTICE -> new ZabMessage.ConfigNotice(membership(r.i64(), r.longs(), r.longs()),
                    r.flag() ? membership(r.i64(), r.longs(), r.longs()) : null);
            default -> throw new MalformedMessageException("unknown message type " + type);
        };
        if (in.hasRemaining()) {
            throw new MalformedMessageException(in.remaining() + " trailing bytes after " + m);
        }
        return m;
    }

    private static long bodySize(ZabMessage m) {
        if (m instanceof Vote) {
            return 4 * 8 + 1;
        } else if (m instanceof FollowerInfo || m instanceof ObserverInfo) {
            return 3 * 8;
        } else if (m instanceof AckEpoch a) {
            return 4 * 8 + 4 + 8L * a.epochEnds().length;
        } else if (m instanceof SnapChunk c) {
            return 4 + (long) c.data().length;
        } else if (m instanceof Proposal p) {
            return ENTRY_HEADER + (long) p.entry().body().length;
        } else if (m instanceof Inform i) {
            return ENTRY_HEADER + (long) i.entry().body().length;
        } else if (m instanceof App a) {
            return 4 + 4 + (long) a.payload().length;
        } else if (m instanceof Diff || m instanceof Trunc || m instanceof Ack || m instanceof Commit) {
            return 8;
        } else if (m instanceof SnapMembership s) {
            return membershipSize(s.membership());
        } else if (m instanceof ZabMessage.ConfigNotice c) {
            return membershipSize(c.membership()) + 1 + (c.proposed() == null ? 0 : membershipSize(c.proposed()));
        } else if (m instanceof Ping || m instanceof Handover || m instanceof ZabMessage.HandoverInfo
                || m instanceof ZabMessage.HandoverSync) {
            return 3 * 8;
        } else {
            // LeaderInfo, Snap, SyncAck, NewLeader, AckNewLeader, UpToDate
            return 2 * 8;
        }
    }

    private static long membershipSize(Membership m) {
        return 8 + 4 + 8L * m.voters().size() + 4 + 8L * m.observers().size();
    }

    private static void writeMembership(ByteBuffer b, Membership m) {
        b.putLong(m.version());
        writeIds(b, m.voters());
        writeIds(b, m.observers());
    }

    private static void writeIds(ByteBuffer b, Set<Long> ids) {
        b.putInt(ids.size());
        for (long id : ids) {
            b.putLong(id);
        }
    }

    private static Membership membership(long version, long[] voters, long[] observers) {
        try {
            return new Membership(version, boxed(voters), boxed(observers));
        } catch (IllegalArgumentException e) {
            throw new MalformedMessageException("impossible membership: " + e.getMessage());
        }
    }

    /** ids as encoded: strictly increasing (the one encoding of a set) */
    private static Set<Long> boxed(long[] ids) {
        Set<Long> set = new HashSet<>();
        for (int i = 0; i < ids.length; i++) {
            if (i > 0 && ids[i] <= ids[i - 1]) {
                throw new MalformedMessageException("server ids out of order: " + ids[i - 1] + ", " + ids[i]);
            }
            set.add(ids[i]);
        }
        return set;
    }

    private static void write(ZabMessage m, ByteBuffer b) {
        if (m instanceof Vote v) {
            b.put(VOTE).putLong(v.round()).putLong(v.leader()).putLong(v.zxid()).putLong(v.epoch())
                    .put((byte) v.state().ordinal());
        } else if (m instanceof FollowerInfo f) {
            b.put(FOLLOWER_INFO).putLong(f.session()).putLong(f.acceptedEpoch()).putLong(f.lastZxid());
        } else if (m instanceof ObserverInfo o) {
            b.put(OBSERVER_INFO).putLong(o.session()).putLong(o.acceptedEpoch()).putLong(o.lastZxid());
        } else if (m instanceof LeaderInfo l) {
            b.put(LEADER_INFO).putLong(l.session()).putLong(l.epoch());
        } else if (m instanceof AckEpoch a) {
            b.put(ACK_EPOCH).putLong(a.epoch()).putLong(a.currentEpoch()).putLong(a.lastZxid())
                    .putLong(a.committedZxid()).putInt(a.epochEnds().length);
            for (long end : a.epochEnds()) {
                b.putLong(end);
            }
        } else if (m instanceof Diff d) {
            b.put(DIFF).putLong(d.zxid());
        } else if (m instanceof Trunc t) {
            b.put(TRUNC).putLong(t.zxid());
        } else if (m instanceof Snap s) {
            b.put(SNAP).putLong(s.zxid()).putLong(s.size());
        } else if (m instanceof SnapChunk c) {
            b.put(SNAP_CHUNK).putInt(c.data().length).put(c.data());
        } else if (m instanceof SyncAck a) {
            b.put(SYNC_ACK).putLong(a.zxid()).putLong(a.snapBytes());
        } else if (m instanceof NewLeader n) {
            b.put(NEW_LEADER).putLong(n.epoch()).putLong(n.zxid());
        } else if (m instanceof AckNewLeader a) {
            b.put(ACK_NEW_LEADER).putLong(a.epoch()).putLong(a.zxid());
        } else if (m instanceof UpToDate u) {
            b.put(UP_TO_DATE).putLong(u.epoch()).putLong(u.committedZxid());
        } else if (m instanceof Proposal p) {
            writeEntry(b.put(PROPOSAL), p.entry());
        } else if (m instanceof Ack a) {
            b.put(ACK).putLong(a.zxid());
        } else if (m instanceof Commit c) {
            b.put(COMMIT).putLong(c.zxid());
        } else if (m instanceof Inform i) {
            writeEntry(b.put(INFORM), i.entry());
        } else if (m instanceof Ping p) {
            b.put(PING).putLong(p.epoch()).putLong(p.zxid()).putLong(p.seq());
        } else if (m instanceof Handover h) {
            b.put(HANDOVER).putLong(h.epoch()).putLong(h.target()).putLong(h.zxid());
        } else if (m instanceof ZabMessage.HandoverInfo h) {
            b.put(HANDOVER_INFO).putLong(h.session()).putLong(h.epoch()).putLong(h.lastZxid());
        } else if (m instanceof ZabMessage.HandoverSync h) {
            b.put(HANDOVER_SYNC).putLong(h.session()).putLong(h.epoch()).putLong(h.zxid());
        } else if (m instanceof SnapMembership s) {
            writeMembership(b.put(SNAP_MEMBERSHIP), s.membership());
        } else if (m instanceof ZabMessage.ConfigNotice c) {
            writeMembership(b.put(CONFIG_NOTICE), c.membership());
            b.put((byte) (c.proposed() == null ? 0 : 1));
            if (c.proposed() != null) {
                writeMembership(b, c.proposed());
            }
        } else if (m instanceof App a) {
            b.put(APP).putInt(a.kind()).putInt(a.payload().length).put(a.payload());
        } else {
            throw new IllegalArgumentException("unknown message " + m);
        }
    }

    private static void writeEntry(ByteBuffer b, LogEntry e) {
        b.putLong(e.zxid()).putLong(e.sessionId()).putInt(e.cxid()).putLong(e.time()).putInt(e.type())
                .putInt(e.body().length).put(e.body());
    }

    /** bounds-checked reads: every shortfall is a MalformedMessageException */
    private static final class Reader {
        private final ByteBuffer in;

        Reader(ByteBuffer in) {
            this.in = in;
        }

        private void need(long n) {
            if (in.remaining() < n) {
                throw new MalformedMessageException("truncated: needed " + n + " bytes, " + in.remaining() + " left");
            }
        }

        byte u8() {
            need(1);
            return in.get();
        }

        int i32() {
            need(4);
            return in.getInt();
        }

        long i64() {
            need(8);
            return in.getLong();
        }

        /** a byte that must be 0 or 1 (the one encoding of a boolean) */
        boolean flag() {
            int b = u8();
            if (b != 0 && b != 1) {
                throw new MalformedMessageException("flag " + b);
            }
            return b == 1;
        }

        Role role() {
            int ordinal = u8();
            if (ordinal < 0 || ordinal >= ROLES.length) {
                throw new MalformedMessageException("unknown role " + ordinal);
            }
            return ROLES[ordinal];
        }

        private int length(int elementSize) {
            int n = i32();
            if (n < 0) {
                throw new MalformedMessageException("negative length " + n);
            }
            need((long) n * elementSize);
            return n;
        }

        byte[] bytes() {
            byte[] b = new byte[length(1)];
            in.get(b);
            return b;
        }

        long[] longs() {
            long[] a = new long[length(8)];
            for (int i = 0; i < a.length; i++) {
                a[i] = in.getLong();
            }
            return a;
        }

        LogEntry entry() {
            return new LogEntry(i64(), i64(), i32(), i64(), i32(), bytes());
        }
    }
}
