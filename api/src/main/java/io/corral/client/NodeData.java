package io.corral.client;

import io.corral.protocol.Stat;

/** A node's data (null when the node was created with null data) and its Stat. */
public record NodeData(byte[] data, Stat stat) {
}
