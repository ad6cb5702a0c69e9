package io.corral.protocol;

/** Anything that has a jute encoding. */
public interface Record {
    void write(JuteOutput out);
}
