package io.corral.client.recipes;

/** A contender's own lock node disappeared while it waited (deleted by someone else): the attempt is void. */
public final class LockNodeVanishedException extends IllegalStateException {
    LockNodeVanishedException(String path) {
        super("lock node " + path + " was deleted while waiting for the lock");
    }
}
