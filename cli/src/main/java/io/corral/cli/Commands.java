package io.corral.cli;

import java.util.List;

/** The tree commands of the shell (the shell itself handles connect, history, redo, printwatches and quit). */
final class Commands {
    private Commands() {
    }

    static List<ShellCommand> all() {
        return List.of(new LsCommand(), new CreateCommand(), new GetCommand(), new SetCommand(), new StatCommand(),
                new DeleteCommand(), new DeleteAllCommand(), new GetAclCommand(), new SetAclCommand(),
                new AddAuthCommand(), new SyncCommand(), new GetEphemeralsCommand(),
                new GetAllChildrenNumberCommand(), new AddWatchCommand(), new RemoveWatchesCommand(),
                new WhoAmICommand(), new CloseCommand(), new TransferLeaderCommand(), new ConfigCommand(), new ReconfigCommand(),
                new VersionCommand(), new SetQuotaCommand(), new ListQuotaCommand(), new DelQuotaCommand(),
                new WatchCommand());
    }
}
