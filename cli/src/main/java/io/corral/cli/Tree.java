package io.corral.cli;

import java.util.ArrayList;
import java.util.List;

import io.corral.client.CorralClient;
import io.corral.client.KeeperErrorException;
import io.corral.protocol.ErrorCode;

/** Walks of a subtree for ls -R, setAcl -R and deleteall: children in sorted order, the shell's thread waiting. */
final class Tree {
    private Tree() {
    }

    /** The paths of the subtree at {@code root}, depth first, parents before children, siblings sorted. */
    static List<String> depthFirst(CorralClient client, String root) throws CliException {
        ShellCommand.await(client.getData(root)); // NONODE for a missing root
        List<String> paths = new ArrayList<>();
        paths.add(root);
        descend(client, root, paths);
        return paths;
    }

    private static void descend(CorralClient client, String path, List<String> paths) throws CliException {
        for (String child : sortedChildren(client, path)) {
            String childPath = path.equals("/") ? "/" + child : path + "/" + child;
            paths.add(childPath);
            descend(client, childPath, paths);
        }
    }

    /** The paths of the subtree at {@code root}, breadth first (parents before children). */
    static List<String> breadthFirst(CorralClient client, String root) throws CliException {
        List<String> paths = new ArrayList<>();
        paths.add(root);
        for (int i = 0; i < paths.size(); i++) {
            String path = paths.get(i);
            List<String> children = i == 0 ? ShellCommand.await(client.getChildren(path)).names()
                    : sortedChildren(client, path);
            for (String child : children) {
                paths.add(path.equals("/") ? "/" + child : path + "/" + child);
            }
        }
        return paths;
    }

    /** The sorted children of path; none when it vanished meanwhile. */
    private static List<String> sortedChildren(CorralClient client, String path) throws CliException {
        try {
            List<String> names = new ArrayList<>(client.getChildren(path).block().names());
            names.sort(null);
            return names;
        } catch (KeeperErrorException e) {
            if (e.is(ErrorCode.NO_NODE)) {
                return List.of();
            }
            throw new CliException(KeeperMessages.describe(e));
        }
    }
}
