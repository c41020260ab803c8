package org.diffusionexplorer.cli;

import java.util.concurrent.Callable;
import org.diffusionexplorer.io.Failures;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

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
            InterpolateCommand.class,
            InfoCommand.class,
            ImportWeightsCommand.class,
            TrainClassifierCommand.class,
            EvaluateCommand.class,
            VbTermsCommand.class,
        })
public final class DiffusionCli implements Callable<Integer> {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Print stack traces of errors.")
    boolean verbose;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.out);
        return 0;
    }

    /**
     * The dataset classes log skipped files; the commands print them themselves (one warning with
     * the reasons), so the logger's two-line timestamped records would only repeat them. Held in a
     * field: java.util.logging keeps loggers weakly, and a collected logger forgets its level.
     */
    private static final java.util.logging.Logger DATA_LOG = java.util.logging.Logger.getLogger("org.diffusionexplorer.data");

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit code; tests call this instead of main. */
    public static int run(String... args) {
        DATA_LOG.setLevel(java.util.logging.Level.SEVERE);
        CommandLine cl = new CommandLine(new DiffusionCli());
        // Native threading and logging are set once, before any command touches ND4J; --help and
        // usage errors stay fast because they never load the native library.
        cl.setExecutionStrategy(parseResult -> {
            if (!CommandLine.printHelpIfRequested(parseResult)) {
                String unusable = org.diffusionexplorer.runtime.NativeCache.problem();
                if (unusable != null) {
                    cl.getErr().println("error: " + unusable);
                    return 2;
                }
                try {
                    org.diffusionexplorer.runtime.NativeRuntime.configure();
                } catch (LinkageError | RuntimeException e) { // ND4J's loader wraps the cause in several layers
                    if (java.util.Arrays.asList(args).contains("--verbose")) e.printStackTrace();
                    cl.getErr().println("error: cannot load the native ND4J library: " + Failures.innermost(e).getMessage());
                    return 2;
                }
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
            // java.nio's errors carry only the path ("/proc/x"): say the reason too
            String msg = ex instanceof java.nio.file.FileSystemException fse ? Failures.describe(fse)
                    : ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            commandLine.getErr().println("error: " + msg);
            return 2;
        });
        return cl.execute(args);
    }
}
