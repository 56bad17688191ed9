package org.pps2phc.cli;

import org.pps2phc.daemon.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pps2phc version}: the same as {@code pps2phc --version}. */
@Command(name = "version", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Prints pps2phc's version and the Java runtime it runs on.",
        footerHeading = "%nExamples:%n", footer = {"  pps2phc version"})
public final class VersionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        for (String line : new VersionProvider().getVersion()) {
            spec.commandLine().getOut().println(line);
        }
        return ExitCodes.OK;
    }
}
