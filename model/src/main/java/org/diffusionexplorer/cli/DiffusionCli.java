package org.diffusionexplorer.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Headless entry point: {@code java -jar diffusion-cli.jar <command>}. Each command is its own class;
 * user errors end in one line on stderr and exit code 2 (a stack trace only with --verbose).
 */
@Command(name = "diffusion", mixinStandardHelpOptions = true, version = "Diffusion Explorer 0.1.0",
        description = "Train, sample and inspect improved-diffusion models (a Java port of OpenAI's improved-diffusion).",
        subcommands = {
            CommandLine.HelpCommand.class,
            ScheduleCommand.class,
            DatasetInfoCommand.class,
            UnetForwardCommand.class,
            ExportWeightsCommand.class,
            PackageModelCommand.class,
            org.diffusionexplorer.bench.BenchCommand.class,
            TrainCommand.class,
            SampleCommand.class,
            InfoCommand.class,
            ImportWeightsCommand.class,
        })
public final class DiffusionCli implements Callable<Integer> {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code; tests call this instead of main. */
    public static int run(String... args) {
        CommandLine cl = new CommandLine(new DiffusionCli());
        // Native threading and logging are set once, before any command touches ND4J; --help and
        // usage errors stay fast because they never load the native library.
        cl.setExecutionStrategy(parseResult -> {
            if (!CommandLine.printHelpIfRequested(parseResult)) {
                org.diffusionexplorer.runtime.NativeRuntime.configure();
                return new CommandLine.RunLast().execute(parseResult);
            }
            return 0;
        });
        // a mistyped command line gets one line too, not the whole usage text
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("error: " + ex.getMessage() + " (see " + ex.getCommandLine().getCommandName() + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.matchedOption("--verbose") != null
                    || java.util.Arrays.asList(args).contains("--verbose");
            if (verbose) ex.printStackTrace();
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            commandLine.getErr().println("error: " + msg);
            return 2;
        });
        return cl.execute(args);
    }
}
