package io.corral.log;

import java.nio.file.Path;

/**
 * The log holds an entry whose checksum does not verify (or that cannot be decoded) somewhere other than at its
 * very end. This is not something recovery may silently repair: an operator has to look at the named file.
 */
public final class LogCorruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long zxid;

    public LogCorruptedException(Path file, long zxid, String message) {
        super(message + " [file " + file + ", zxid 0x" + Long.toHexString(zxid) + "]");
        this.file = file;
        this.zxid = zxid;
    }

    /** The Chronicle Queue cycle file that holds the bad excerpt. */
    public Path file() {
        return file;
    }

    /**
     * The zxid the bad excerpt claims (its zxid field is read even though the checksum failed), or, when even
     * that cannot be read, the zxid of the last good entry before it.
     */
    public long zxid() {
        return zxid;
    }
}
