package org.pps2phc.cli;

import org.pps2phc.config.ChronyAddressParser;
import org.pps2phc.daemon.ExitCodes;
import org.pps2phc.linux.KernelTai;
import org.pps2phc.daemon.UserError;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.pps2phc.chrony.ChronyAddress;
import org.pps2phc.chrony.ChronyTimeOfDay;
import org.pps2phc.chrony.ChronyTrustPolicy;
import org.pps2phc.chrony.CmdmonClient;
import org.pps2phc.core.port.KernelTaiSource;
import org.pps2phc.core.RefId;
import org.pps2phc.chrony.SourceReport;
import org.pps2phc.chrony.TaiUtcSource;
import org.pps2phc.chrony.TrackingReport;
import org.pps2phc.config.ConfigException;
import org.pps2phc.config.Settings;
import org.pps2phc.config.TodSettings;
import org.pps2phc.core.Leap;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.TodVerdict;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * `pps2phc tod`: asks chronyd once and says whether its time of day may name a second, and why, with the daemon's
 * own settings (its config file) unless an option says otherwise.
 */
@Command(name = "tod", mixinStandardHelpOptions = true,
        description = {"Asks chronyd once for its time of day and judges it as the daemon would: reference, stratum,"
                + " leap status, error bound, TAI-UTC and where it came from, and the verdict with its reasons.",
            "When the config's ts2phc.tod_source is nmea or gpsd, shows the running daemon's receiver verdict "
                + "instead: messages seen, their delay after the pulse, validity, TAI-UTC and its source.",
            "The settings are the daemon's (chrony_address, tod_max_error, tod_allow_local, own_refid, "
                + "chrony_timeout, leapfile, utc_offset from the config file); an option overrides one.",
            "Exit status: 0 trusted, 69 not trusted (or no daemon to ask), 78 bad config file."},
        footerHeading = "%nExamples:%n",
        footer = {"  pps2phc tod                            # as the daemon of /etc/pps2phc/pps2phc.conf judges",
            "  pps2phc tod -f /etc/pps2phc/eth1.conf  # as another instance judges (its receiver, if it has one)",
            "  pps2phc tod --receiver /dev/ttyS0 --baud 115200  # listen to a receiver no daemon reads",
            "  pps2phc tod --chrony [::1]:323 --json"})
public final class TodCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-f", "--config"}, paramLabel = "FILE",
            description = "the daemon's config file (default: " + "/etc/pps2phc/pps2phc.conf when it exists, else "
                    + "the built-in defaults)")
    Path config;

    @Option(names = "--chrony", paramLabel = "HOST[:PORT]",
            description = "chronyd's command address (default: chrony_address; IPv6 as [::1]:323)")
    String chrony;

    @Option(names = "--max-error-ms", paramLabel = "MS",
            description = "trust only when |correction| + root dispersion + root delay/2 is under this (default:"
                    + " tod_max_error)")
    Double maxErrorMs;

    @Option(names = "--allow-local", description = "accept chrony's own free-running 'local' reference (labs only;"
            + " default: tod_allow_local)")
    boolean allowLocal;

    @Option(names = "--own-refid", paramLabel = "REFID",
            description = "pps2phc's refclock refid in chrony, for the circularity check; 'none' to skip"
                    + " (default: own_refid)")
    String ownRefid;

    @Option(names = "--leapfile", paramLabel = "PATH",
            description = "leap-seconds.list to use when the kernel's TAI offset is not set (default: leapfile, "
                    + "else " + "/usr/share/zoneinfo/leap-seconds.list, as the daemon)")
    Path leapfile;

    @Option(names = "--utc-offset", paramLabel = "SECONDS",
            description = "TAI-UTC to use when neither the kernel nor the leap file knows it (default: utc_offset "
                    + "when the config sets it)")
    Integer utcOffset;

    @Option(names = "--timeouts-ms", paramLabel = "MS", split = ",",
            description = "wait this long for each attempt (default: chrony_timeout, then twice and four times it)")
    List<Long> timeoutsMs;

    @Option(names = "--json", description = "print one JSON object instead of text")
    boolean json;

    @Option(names = "--receiver", paramLabel = "PORT",
            description = "listen to a GNSS receiver instead (a serial port, or HOST:PORT over TCP): the messages it "
                    + "sends, their validity, TAI-UTC; which pulse they describe needs the daemon (pps2phc status)")
    String receiver;

    @Option(names = "--baud", paramLabel = "BAUD", defaultValue = "9600",
            description = "the receiver's serial speed (default: ${DEFAULT-VALUE})")
    int baud;

    @Option(names = "--listen", paramLabel = "SECONDS", defaultValue = "3",
            description = "how long to listen to the receiver (default: ${DEFAULT-VALUE})")
    double listenS;

    @Option(names = "--status-dir", paramLabel = "DIR",
            description = "where the daemon writes its status, read when its time of day is the receiver or gpsd "
                    + "(default: status_dir from the config file)")
    Path statusDir;

    /** Where the kernel's TAI offset comes from: a read-only adjtimex. */
    KernelTaiSource kernelTai = KernelTai.system();

    @Override
    public Integer call() {
        if (receiver != null) {
            return ReceiverTod.print(spec.commandLine().getOut(), receiver, baud, listenS,
                    utcOffset == null ? 37 : utcOffset);
        }
        Settings settings;
        try {
            settings = daemonSettings();
        } catch (ConfigException e) {
            PrintWriter err = spec.commandLine().getErr();
            e.problems().forEach(p -> err.println("pps2phc: " + p));
            err.flush();
            return ExitCodes.CONFIG;
        }
        if (chrony == null && receiverIsTheSource(settings)) {
            return ReceiverTod.printDaemons(spec.commandLine().getOut(),
                    statusDir != null ? statusDir : settings.statusDir(), json);
        }
        TodSettings t = settings.tod();
        try (CmdmonClient client = client(t)) {
            Optional<Path> leap = leapfile != null ? Optional.of(leapfile)
                    : settings.leapfile().isEmpty() ? Optional.empty() : Optional.of(Path.of(settings.leapfile()));
            ChronyTimeOfDay tod = new ChronyTimeOfDay(client, policy(t),
                    new TaiUtcSource(kernelTai, leap,
                            utcOffset == null ? settings.configuredUtcOffset() : OptionalInt.of(utcOffset),
                            Clock.systemUTC()),
                    System::nanoTime);
            ChronyTimeOfDay.Result r = tod.queryDetailed();
            PrintWriter out = spec.commandLine().getOut();
            out.print(json ? json(client.serverName(), r) : text(client.serverName(), r));
            out.flush();
            return r.verdict().trusted() ? ExitCodes.OK : ExitCodes.UNAVAILABLE;
        }
    }

    /** ts2phc.tod_source nmea or gpsd: the daemon pairs the receiver's messages with the pulses. */
    private static boolean receiverIsTheSource(Settings settings) {
        try {
            return settings.receiver().enabled() || settings.receiver().gpsd();
        } catch (ConfigException e) {
            throw new UserError(ExitCodes.CONFIG, String.join("; ", e.problems()));
        }
    }

    /**
     * The named config file; without -f the default one when it exists, else the built-in defaults (said on stderr
     * when the default file exists but this user may not read it, since the verdict may then differ from the
     * daemon's).
     */
    private Settings daemonSettings() throws ConfigException {
        if (config != null) {
            return Settings.load(config);
        }
        if (!Files.exists(Settings.DEFAULT_PATH)) {
            return Settings.defaults();
        }
        if (!Files.isReadable(Settings.DEFAULT_PATH)) {
            spec.commandLine().getErr().println("pps2phc: warning: cannot read " + Settings.DEFAULT_PATH
                    + ": judging with the built-in settings, which may not be the daemon's (give -f)");
            return Settings.defaults();
        }
        return Settings.load(Settings.DEFAULT_PATH);
    }

    private CmdmonClient client(TodSettings t) {
        InetSocketAddress address;
        try {
            address = ChronyAddressParser.parse(chrony != null ? chrony : t.chronyAddress());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--chrony: " + e.getMessage());
        }
        List<Long> timeouts = timeoutsMs != null ? timeoutsMs
                : List.of((long) t.timeoutMs(), 2L * t.timeoutMs(), 4L * t.timeoutMs());
        if (timeouts.isEmpty() || timeouts.stream().anyMatch(ms -> ms <= 0)) {
            throw new UserError(ExitCodes.USAGE, "--timeouts-ms: give positive milliseconds, e.g. 1000,2000,4000");
        }
        return new CmdmonClient(address, timeouts.stream().map(Duration::ofMillis).toList());
    }

    private ChronyTrustPolicy policy(TodSettings t) {
        double maxErrorS = maxErrorMs != null ? maxErrorMs / 1e3 : t.maxErrorNs() / 1e9;
        if (!(maxErrorS > 0)) {
            throw new UserError(ExitCodes.USAGE, "--max-error-ms: must be more than 0, got " + maxErrorMs);
        }
        Optional<String> own = ownRefid == null ? t.ownRefid()
                : ownRefid.isEmpty() || ownRefid.equals("none") ? Optional.empty() : Optional.of(ownRefid);
        try {
            own.ifPresent(RefId::of);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCodes.USAGE, "--own-refid: " + e.getMessage());
        }
        return new ChronyTrustPolicy(maxErrorS, allowLocal || t.allowLocal(), own,
                ChronyTrustPolicy.DEFAULT_AGREEMENT_S);
    }

    private static String text(String server, ChronyTimeOfDay.Result r) {
        StringBuilder s = new StringBuilder();
        line(s, "chronyd", server);
        r.tracking().ifPresentOrElse(t -> {
            line(s, "Reference", t.referenceName() + String.format(" (%08X), stratum %d", t.refId(), t.stratum()));
            line(s, "Leap status", t.leapStatusText());
            line(s, "Error bound", String.format(Locale.ROOT, "%.6f ms (|correction| %.6f + root dispersion %.6f"
                    + " + root delay/2 %.6f)", t.errorBoundS() * 1e3, Math.abs(t.currentCorrectionS()) * 1e3,
                    t.rootDispersionS() * 1e3, t.rootDelayS() / 2 * 1e3));
        }, () -> line(s, "Reference", "(no answer)"));
        LeapState leap = r.verdict().leap();
        line(s, "TAI-UTC", leap.taiMinusUtcS() + " s from " + leap.source());
        line(s, "Pending leap", leap.pending() == Leap.NONE ? "none"
                : leap.pending().name().toLowerCase(Locale.ROOT) + " at " + Instant.ofEpochSecond(leap.leapAtUtcS()));
        for (SourceReport src : r.sources()) {
            line(s, "Source", String.format(Locale.ROOT, "%c %s %+.6f s +/- %.6f s", src.state().mark(), src.name(),
                    src.latestMeasS(), src.latestMeasErrS()));
        }
        line(s, "Verdict", r.verdict().trusted() ? "trusted" : "NOT trusted");
        for (String reason : r.verdict().reasons()) {
            s.append("  - ").append(reason).append('\n');
        }
        for (String w : r.leap().warnings()) {
            s.append("warning: ").append(w).append('\n');
        }
        return s.toString();
    }

    private static void line(StringBuilder s, String label, String value) {
        s.append(String.format(Locale.ROOT, "%-14s %s%n", label + ":", value));
    }

    private static String json(String server, ChronyTimeOfDay.Result r) {
        TodVerdict v = r.verdict();
        LeapState leap = v.leap();
        List<String> f = new ArrayList<>();
        f.add(field("chrony", str(server)));
        f.add(field("trusted", String.valueOf(v.trusted())));
        f.add(field("reasons", strings(v.reasons())));
        f.add(field("reference", str(v.reference())));
        r.tracking().ifPresent(t -> {
            f.add(field("refid", str(String.format("%08X", t.refId()))));
            f.add(field("stratum", String.valueOf(t.stratum())));
            f.add(field("leap_status", str(t.leapStatusText())));
            f.add(field("error_bound_s", num(t.errorBoundS())));
            f.add(field("correction_s", num(t.currentCorrectionS())));
            f.add(field("root_delay_s", num(t.rootDelayS())));
            f.add(field("root_dispersion_s", num(t.rootDispersionS())));
        });
        f.add(field("tai_minus_utc_s", String.valueOf(leap.taiMinusUtcS())));
        f.add(field("tai_minus_utc_source", str(leap.source())));
        f.add(field("leap_pending", str(leap.pending().name().toLowerCase(Locale.ROOT))));
        f.add(field("leap_at_utc", leap.pending() == Leap.NONE ? "null"
                : str(Instant.ofEpochSecond(leap.leapAtUtcS()).toString())));
        f.add(field("warnings", strings(r.leap().warnings())));
        return "{" + String.join(", ", f) + "}\n";
    }

    private static String field(String name, String value) {
        return str(name) + ": " + value;
    }

    private static String num(double d) {
        return Double.isFinite(d) ? String.format(Locale.ROOT, "%.9g", d) : "null";
    }

    private static String strings(List<String> l) {
        return "[" + String.join(", ", l.stream().map(TodCommand::str).toList()) + "]";
    }

    static String str(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
