package io.corral.client;

import io.corral.protocol.Stat;

/** The result of a create: the actual path (with its sequence suffix, if any) and the new node's Stat. */
public record Created(String path, Stat stat) {
}
