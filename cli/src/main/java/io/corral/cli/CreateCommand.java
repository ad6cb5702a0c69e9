package io.corral.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import io.corral.client.Created;
import io.corral.client.KeeperErrorException;
import io.corral.protocol.Acl;
import io.corral.protocol.CreateMode;
import io.corral.protocol.ErrorCode;

/** {@code create [-s] [-e] [-c] [-t ttl] path [data] [acl]}; reports {@code Created <path>} on stderr, as zkCli. */
final class CreateCommand extends ShellCommand {
    private static final long MAX_TTL = 0xFF_FFFF_FFFFL;
    private static final Options OPTIONS = new Options().flag('e', "ephemeral").flag('s', "sequential")
            .flag('c', "container").valued('t', "ttl");

    CreateCommand() {
        super("create", "[-s] [-e] [-c] [-t ttl] path [data] [acl]", OPTIONS);
    }

    @Override
    void run(Options.Parsed p, Shell shell) throws CliException {
        requireArgs(p, 2);
        boolean ephemeral = p.has('e');
        boolean sequential = p.has('s');
        boolean container = p.has('c');
        boolean withTtl = p.has('t');
        if (container && (ephemeral || sequential)) {
            throw new CliException(
                    "-c cannot be combined with -s or -e. Containers cannot be ephemeral or sequential.");
        }
        long ttl = 0;
        if (withTtl) {
            try {
                ttl = Long.parseLong(p.value('t'));
            } catch (NumberFormatException e) {
                throw new CliException("-t argument must be a long value");
            }
        }
        if (withTtl && ephemeral) {
            throw new CliException("TTLs cannot be used with Ephemeral znodes");
        }
        if (withTtl && container) {
            throw new CliException("TTLs cannot be used with Container znodes");
        }
        CreateMode mode = mode(ephemeral, sequential, container, withTtl);
        if (withTtl && (ttl <= 0 || ttl > MAX_TTL)) {
            throw new CliException("ttl must be positive and cannot be larger than: " + MAX_TTL);
        }
        String path = p.arg(1);
        byte[] data = p.args().size() > 2 ? p.arg(2).getBytes(StandardCharsets.UTF_8) : null;
        List<Acl> acl = p.args().size() > 3 ? AclText.parse(p.arg(3), err(shell)) : Acl.OPEN_ACL_UNSAFE;
        validPath(path, mode.isSequential());
        if (acl.isEmpty()) { // refused before sending, as ZooKeeper's client does
            err(shell).println(KeeperMessages.keeperMessage(ErrorCode.INVALID_ACL, null));
            throw new CliException(KeeperMessages.describe(ErrorCode.INVALID_ACL, null));
        }
        Created created;
        try {
            created = withTtl
                    ? client(shell).createTtl(path, data, acl, mode, Duration.ofMillis(ttl)).block()
                    : client(shell).create(path, data, acl, mode).block();
        } catch (KeeperErrorException e) {
            if (e.is(ErrorCode.INVALID_ACL)) {
                err(shell).println(e.getMessage());
            } else if (e.is(ErrorCode.EPHEMERAL_ON_LOCAL_SESSION)) {
                err(shell).println("Unable to create ephemeral node on a local session");
            }
            throw new CliException(KeeperMessages.describe(e));
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        err(shell).println("Created " + created.path());
    }

    private static CreateMode mode(boolean ephemeral, boolean sequential, boolean container, boolean withTtl) {
        if (ephemeral) {
            return sequential ? CreateMode.EPHEMERAL_SEQUENTIAL : CreateMode.EPHEMERAL;
        }
        if (sequential) {
            return withTtl ? CreateMode.PERSISTENT_SEQUENTIAL_WITH_TTL : CreateMode.PERSISTENT_SEQUENTIAL;
        }
        if (container) {
            return CreateMode.CONTAINER;
        }
        return withTtl ? CreateMode.PERSISTENT_WITH_TTL : CreateMode.PERSISTENT;
    }
}
