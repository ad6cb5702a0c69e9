package io.corral.client;

import java.util.List;

import io.corral.protocol.Stat;

/** The names of a node's children (order unspecified) and the node's Stat. */
public record Children(List<String> names, Stat stat) {
}
