package io.corral.client;

import io.corral.protocol.JuteInput;

/**
 * Turns a reply into the operation's value. Called with err == 0 and the response record to read, or with an error
 * code the decoder declared it {@link #accepts} (exists answers NONODE with an empty result).
 */
interface ReplyDecoder {
    Object decode(int err, JuteInput in);

    default boolean accepts(int err) {
        return err == 0;
    }

    /** A decoder for replies without a body. */
    ReplyDecoder NONE = (err, in) -> Boolean.TRUE;
}
