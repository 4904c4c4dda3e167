package io.memoir.tools;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code memoir}: inspect, change, tail, replay and check a Memoir store from a terminal.
 *
 * <p>Exit codes: {@link ExitCodes#OK} 0, {@link ExitCodes#FAILURE} 1, {@link ExitCodes#USAGE} 2.
 *
 * <p>Subcommands are registered in {@link #commandLine(String...)} rather than in the annotation: when the
 * command line names one, only that one is built, which saves picocli's model of all the others at
 * start-up (docs/cli.md, "Cold start").
 */
@Command(name = "memoir", mixinStandardHelpOptions = true, versionProvider = Version.class,
    description = "Shared memory for the JVM that remembers: inspect, change, tail, replay and check a store.",
    synopsisSubcommandLabel = "COMMAND",
    commandListHeading = "%nCommands:%n",
    footerHeading = "%n",
    footer = {"The store is --store DIR, else $MEMOIR_STORE, else ./memoir-data. Read commands open it read-only.",
        "Shell completion: source <(memoir generate-completion)"},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:done (verify: map and journal agree)",
        "1:failure: unknown tag, missing/locked/corrupt store, store full; verify found differences",
        "2:usage: bad option or argument (malformed hex or JSON, offset outside the region, bad index or time)"})
public final class Memoir {
    /** Every subcommand, in the order of the help. */
    private static final Map<String, Supplier<Object>> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("ls", LsCommand::new);
        COMMANDS.put("get", GetCommand::new);
        COMMANDS.put("put", PutCommand::new);
        COMMANDS.put("put-json", PutJsonCommand::new);
        COMMANDS.put("create", CreateCommand::new);
        COMMANDS.put("rm", RmCommand::new);
        COMMANDS.put("tail", TailCommand::new);
        COMMANDS.put("history", HistoryCommand::new);
        COMMANDS.put("export", ExportCommand::new);
        COMMANDS.put("replay", ReplayCommand::new);
        COMMANDS.put("verify", VerifyCommand::new);
        COMMANDS.put("recover", RecoverCommand::new);
        COMMANDS.put("stats", StatsCommand::new);
        COMMANDS.put("grow", GrowCommand::new);
        COMMANDS.put("demo", DemoCommand::new);
        COMMANDS.put("demo-master", DemoMasterCommand::new);
        COMMANDS.put("demo-follower", DemoFollowerCommand::new);
        COMMANDS.put("soak", SoakCommand::new);
        COMMANDS.put("soak-writer", SoakWriterCommand::new);
        COMMANDS.put("soak-reader", SoakReaderCommand::new);
        COMMANDS.put("cds-training", CdsTrainingCommand::new);
        COMMANDS.put("generate-completion", AutoComplete.GenerateCompletion::new);
        COMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /**
     * The command line with Memoir's error handling installed: one line on stderr, no stack trace
     * unless {@code -v}.
     *
     * @param args the arguments it will run; when they start with a subcommand's name, only that
     *             subcommand is registered
     * @return a new command line
     */
    public static CommandLine commandLine(final String... args) {
        final CommandLine cmd = new CommandLine(new Memoir());
        final String only = args.length > 0 && COMMANDS.containsKey(args[0]) && !args[0].equals("help")
            && !args[0].equals("generate-completion") ? args[0] : null;
        for (Map.Entry<String, Supplier<Object>> c : COMMANDS.entrySet()) {
            if (only == null || only.equals(c.getKey())) {
                cmd.addSubcommand(c.getKey(), c.getValue().get());
            }
        }
        for (CommandLine sub : cmd.getSubcommands().values()) {
            if (sub.getCommandName().equals("generate-completion")) {
                sub.getCommandSpec().usageMessage().hidden(true);
            }
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(cmd.getCommandSpec().usageMessage().exitCodeList());
        }
        final Errors errors = new Errors();
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        return cmd;
    }

    /**
     * Runs one command and exits with its exit code.
     *
     * @param args the command line
     */
    public static void main(final String[] args) {
        System.exit(commandLine(args).execute(args));
    }
}
