package io.corral.protocol;

/**
 * A {@code List<String>} that also holds its strings in jute's form, each an int length then its UTF-8 bytes, back
 * to back: {@link JuteOutput#writeStringList} copies those bytes as they are instead of encoding every string (the
 * server's child lists, whose names it keeps encoded).
 */
public interface PreEncodedStrings {
    /** The list's strings in jute form, from offset 0. */
    byte[] juteBytes();

    /** How many bytes of {@link #juteBytes()} hold them. */
    int juteLength();
}
