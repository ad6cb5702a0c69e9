package io.corral.client;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.corral.protocol.Create2Response;
import io.corral.protocol.CreateResponse;
import io.corral.protocol.ErrorCode;
import io.corral.protocol.GetAclResponse;
import io.corral.protocol.GetChildren2Response;
import io.corral.protocol.GetDataResponse;
import io.corral.protocol.IntResponse;
import io.corral.protocol.JuteInput;
import io.corral.protocol.MultiResponse;
import io.corral.protocol.MultiResult;
import io.corral.protocol.OpCode;
import io.corral.protocol.Stat;
import io.corral.protocol.StatResponse;
import io.corral.protocol.StringListResponse;
import io.corral.protocol.WhoAmIResponse;

/** The reply decoders of the operations; paths in replies are turned back into client paths (chroot stripped). */
final class Replies {
    private final Chroot chroot;

    Replies(Chroot chroot) {
        this.chroot = chroot;
    }

    ReplyDecoder created() {
        return (err, in) -> {
            Create2Response r = Create2Response.read(in);
            return new Created(chroot.toClient(r.path()), r.stat());
        };
    }

    ReplyDecoder stat() {
        return (err, in) -> Stat.read(in);
    }

    /** exists: NONODE is an answer (empty), not an error. */
    ReplyDecoder exists() {
        return new ReplyDecoder() {
            @Override
            public Object decode(int err, JuteInput in) {
                return err == ErrorCode.NO_NODE ? Optional.empty() : Optional.of(StatResponse.read(in).stat());
            }

            @Override
            public boolean accepts(int err) {
                return err == ErrorCode.OK || err == ErrorCode.NO_NODE;
            }
        };
    }

    ReplyDecoder data() {
        return (err, in) -> {
            GetDataResponse r = GetDataResponse.read(in);
            return new NodeData(r.data(), r.stat());
        };
    }

    ReplyDecoder children() {
        return (err, in) -> {
            GetChildren2Response r = GetChildren2Response.read(in);
            return new Children(r.children() == null ? List.of() : List.copyOf(r.children()), r.stat());
        };
    }

    ReplyDecoder acl() {
        return (err, in) -> {
            GetAclResponse r = GetAclResponse.read(in);
            return new NodeAcl(r.acl() == null ? List.of() : List.copyOf(r.acl()), r.stat());
        };
    }

    ReplyDecoder count() {
        return (err, in) -> IntResponse.read(in).value();
    }

    /** getEphemerals: full server paths, kept when inside the chroot. */
    ReplyDecoder ephemerals() {
        return (err, in) -> {
            List<String> values = StringListResponse.read(in).values();
            List<String> out = new ArrayList<>();
            if (values != null) {
                for (String p : values) {
                    String c = chroot.toClient(p);
                    if (c != p || chroot.prefix().isEmpty()) {
                        out.add(c);
                    }
                }
            }
            return out;
        };
    }

    ReplyDecoder whoAmI() {
        return (err, in) -> List.copyOf(WhoAmIResponse.read(in).clientInfo());
    }

    /**
     * multi: the per-op results; a failed transaction (header err 0, error results inside) becomes a
     * {@link TransactionFailedException} carrying the failing op's code and client path.
     */
    ReplyDecoder multi(List<String> clientPaths) {
        return (err, in) -> {
            List<MultiResult> raw = MultiResponse.read(in).results();
            List<OpResult> results = new ArrayList<>(raw.size());
            int failed = -1;
            for (int i = 0; i < raw.size(); i++) {
                MultiResult r = raw.get(i);
                results.add(toOpResult(r));
                if (failed < 0 && r.type() == OpCode.ERROR && r.err() != ErrorCode.OK
                        && r.err() != ErrorCode.RUNTIME_INCONSISTENCY) {
                    failed = i;
                }
            }
            if (failed >= 0) {
                String path = failed < clientPaths.size() ? clientPaths.get(failed) : null;
                throw new TransactionFailedException(raw.get(failed).err(), path, failed, results);
            }
            return List.copyOf(results);
        };
    }

    /** multiRead: one {@link ReadResult} per read, per-read errors included. */
    ReplyDecoder multiRead(List<String> clientPaths) {
        return (err, in) -> {
            List<MultiResult> raw = MultiResponse.read(in).results();
            if (raw.size() != clientPaths.size()) {
                throw new IllegalStateException(raw.size() + " results for " + clientPaths.size() + " reads");
            }
            List<ReadResult> results = new ArrayList<>(raw.size());
            for (int i = 0; i < raw.size(); i++) {
                MultiResult r = raw.get(i);
                String path = clientPaths.get(i);
                if (r.body() instanceof GetDataResponse d) {
                    results.add(new ReadResult.Data(path, new NodeData(d.data(), d.stat())));
                } else if (r.body() instanceof StringListResponse names) {
                    results.add(new ReadResult.ChildNames(path,
                            names.values() == null ? List.of() : List.copyOf(names.values())));
                } else if (r.type() == OpCode.ERROR) {
                    results.add(new ReadResult.Failed(path, r.err()));
                } else {
                    throw new IllegalStateException("unexpected multiRead result type " + r.type());
                }
            }
            return List.copyOf(results);
        };
    }

    private OpResult toOpResult(MultiResult r) {
        if (r.body() instanceof Create2Response c) {
            return new OpResult(OpCode.CREATE2, r.err(), chroot.toClient(c.path()), c.stat());
        }
        if (r.body() instanceof CreateResponse c) {
            return new OpResult(OpCode.CREATE2, r.err(), chroot.toClient(c.path()), null);
        }
        if (r.body() instanceof StatResponse s) {
            return new OpResult(r.type(), r.err(), null, s.stat());
        }
        return new OpResult(r.type(), r.err(), null, null);
    }
}
