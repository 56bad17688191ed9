package org.pps2phc.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.pps2phc.receiver.ReceiverStatus;
import org.pps2phc.core.Decimals;

/**
 * What {@code pps2phc status} shows: the daemon's state as of its last status write.
 *
 * @param daemon         the daemon's process and instance
 * @param device         the PHC ("/dev/ptp0", "sim")
 * @param state          discipline state label ("locked")
 * @param offsetNs       the last pulse's offset, NaN when none
 * @param frequencyPpb   the frequency dialled in
 * @param timeErrorNs    the engine's bound on the PHC's time error (NaN when unlocked)
 * @param todTrusted     whether the time of day may name seconds
 * @param tod            the time-of-day verdict in words
 * @param outputs        the outputs fed ("ntpshm 0", "sock /run/chrony.pps2phc.sock", "ptp4l")
 * @param lastPulseAgeS  seconds since the last accepted pulse, -1 when none yet
 * @param acceptedPulses accepted pulses since start
 * @param missingPulses  missing pulses since start
 * @param outliers       outliers since start
 * @param glitches       glitches since start
 * @param servo          the servo's name
 * @param uptimeS        seconds since the daemon started
 * @param updatedMs      wall-clock time of this write, ms since 1970
 * @param receiver       the GNSS receiver's (or gpsd's) pairing with the pulses, when it is the time of day
 */
public record DaemonStatus(DaemonIdentity daemon, String device, String state, double offsetNs, double frequencyPpb,
                           double timeErrorNs, boolean todTrusted, String tod, List<String> outputs, double lastPulseAgeS,
                           long acceptedPulses, long missingPulses, long outliers, long glitches, String servo,
                           double uptimeS, long updatedMs, Optional<ReceiverStatus> receiver) {

    public DaemonStatus {
        outputs = List.copyOf(outputs);
    }

    /** Without a receiver. */
    public DaemonStatus(DaemonIdentity daemon, String device, String state, double offsetNs, double frequencyPpb,
                        double timeErrorNs, boolean todTrusted, String tod, List<String> outputs, double lastPulseAgeS,
                        long acceptedPulses, long missingPulses, long outliers, long glitches, String servo,
                        double uptimeS, long updatedMs) {
        this(daemon, device, state, offsetNs, frequencyPpb, timeErrorNs, todTrusted, tod, outputs, lastPulseAgeS,
                acceptedPulses, missingPulses, outliers, glitches, servo, uptimeS, updatedMs, Optional.empty());
    }

    public long pid() {
        return daemon.pid();
    }

    /** One flat JSON object on one line, built in one buffer: the daemon writes it every second. */
    public String toJson() {
        return appendJson(new StringBuilder(1024)).toString();
    }

    /** {@link #toJson()} appended to {@code sb} (the status file reuses its buffer). */
    public StringBuilder appendJson(StringBuilder sb) {
        sb.append("{\"pid\": ").append(daemon.pid()).append(", \"pidStartedMs\": ").append(daemon.startedMs());
        Json.quote(sb.append(", \"instance\": "), daemon.instance());
        Json.quote(sb.append(", \"config\": "), daemon.config());
        Json.quote(sb.append(", \"device\": "), device);
        Json.quote(sb.append(", \"state\": "), state);
        number(sb.append(", \"offsetNs\": "), offsetNs);
        number(sb.append(", \"frequencyPpb\": "), frequencyPpb);
        number(sb.append(", \"timeErrorNs\": "), timeErrorNs);
        sb.append(", \"todTrusted\": ").append(todTrusted);
        Json.quote(sb.append(", \"tod\": "), tod);
        sb.append(", \"outputs\": [");
        for (int i = 0; i < outputs.size(); i++) {
            Json.quote(sb.append(i == 0 ? "" : ", "), outputs.get(i));
        }
        number(sb.append("], \"lastPulseAgeS\": "), lastPulseAgeS);
        sb.append(", \"acceptedPulses\": ").append(acceptedPulses).append(", \"missingPulses\": ").append(missingPulses)
                .append(", \"outliers\": ").append(outliers).append(", \"glitches\": ").append(glitches);
        Json.quote(sb.append(", \"servo\": "), servo);
        number(sb.append(", \"uptimeS\": "), uptimeS);
        sb.append(", \"updatedMs\": ").append(updatedMs);
        if (receiver.isPresent()) {
            sb.append(receiverJson(receiver.get()));
        }
        return sb.append("}\n");
    }

    /** The receiver's fields, flat (the status file is one flat object), each named receiver*. */
    private static String receiverJson(ReceiverStatus r) {
        List<String> burst = new ArrayList<>();
        r.lastBurst().forEach(n -> burst.add(Json.quote(n)));
        return ", \"receiverSource\": " + Json.quote(r.source()) + ", \"receiverBytes\": " + r.bytes()
                + ", \"receiverMessages\": " + r.messages() + ", \"receiverBadChecksums\": " + r.badChecksums()
                + ", \"receiverLastBurst\": [" + String.join(", ", burst) + "]"
                + ", \"receiverDelayNs\": " + orNull(r.delayNs()) + ", \"receiverMinDelayNs\": " + orNull(r.minDelayNs())
                + ", \"receiverMaxDelayNs\": " + orNull(r.maxDelayNs()) + ", \"receiverPairings\": " + r.pairings()
                + ", \"receiverValidity\": " + (r.validity() == null ? "null" : Json.quote(r.validity()))
                + ", \"receiverTaiMinusUtcS\": " + r.taiMinusUtcS()
                + ", \"receiverTaiUtcSource\": " + Json.quote(r.taiUtcSource())
                + ", \"receiverSecondCheck\": " + Json.quote(r.secondCheck())
                + ", \"receiverSetup\": " + Json.quote(r.setup());
    }

    private static String orNull(long v) {
        return v == Long.MIN_VALUE ? "null" : Long.toString(v);
    }

    @SuppressWarnings("unchecked")
    private static Optional<ReceiverStatus> receiverFromJson(Map<String, Object> m) {
        if (!m.containsKey("receiverSource")) {
            return Optional.empty();
        }
        return Optional.of(new ReceiverStatus((String) m.get("receiverSource"), num(m, "receiverBytes").longValue(),
                num(m, "receiverMessages").longValue(), num(m, "receiverBadChecksums").longValue(),
                (List<String>) m.get("receiverLastBurst"), longOrNone(m, "receiverDelayNs"),
                longOrNone(m, "receiverMinDelayNs"), longOrNone(m, "receiverMaxDelayNs"),
                num(m, "receiverPairings").intValue(), (String) m.get("receiverValidity"),
                num(m, "receiverTaiMinusUtcS").intValue(), (String) m.get("receiverTaiUtcSource"),
                (String) m.get("receiverSecondCheck"), (String) m.get("receiverSetup")));
    }

    private static long longOrNone(Map<String, Object> m, String key) {
        Double v = num(m, key);
        return v.isNaN() ? Long.MIN_VALUE : v.longValue();
    }

    private static void number(StringBuilder sb, double v) {
        if (Double.isFinite(v)) {
            Decimals.append(sb, v, 3, false, 0);
        } else {
            sb.append("null");
        }
    }

    @SuppressWarnings("unchecked")
    public static DaemonStatus fromJson(String text) {
        Map<String, Object> m = Json.parseObject(text);
        try {
            DaemonIdentity daemon = new DaemonIdentity(num(m, "pid").longValue(),
                    m.containsKey("pidStartedMs") ? num(m, "pidStartedMs").longValue() : -1,
                    (String) m.getOrDefault("instance", "?"), (String) m.getOrDefault("config", "?"));
            return new DaemonStatus(daemon, (String) m.get("device"), (String) m.get("state"),
                    num(m, "offsetNs"), num(m, "frequencyPpb"), num(m, "timeErrorNs"),
                    Boolean.TRUE.equals(m.get("todTrusted")),
                    (String) m.get("tod"), (List<String>) m.get("outputs"), num(m, "lastPulseAgeS"),
                    num(m, "acceptedPulses").longValue(), num(m, "missingPulses").longValue(),
                    num(m, "outliers").longValue(), num(m, "glitches").longValue(), (String) m.get("servo"),
                    num(m, "uptimeS"), num(m, "updatedMs").longValue(), receiverFromJson(m));
        } catch (ClassCastException | NullPointerException e) {
            throw new IllegalArgumentException("status file lacks a field or has one of the wrong type", e);
        }
    }

    private static Double num(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? Double.NaN : (Double) v;
    }

    /** The human-readable form for {@code pps2phc status}. */
    public String describe(long nowMs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("pps2phc (pid %d) disciplining %s, up %s%n", daemon.pid(), device,
                duration(uptimeS)));
        sb.append(String.format("  instance:     %s (%s)%n", daemon.instance(), daemon.config()));
        sb.append(String.format("  state:        %s%n", state));
        sb.append(String.format("  offset:       %s%n", Double.isNaN(offsetNs) ? "-" : String.format("%.0f ns", offsetNs)));
        sb.append(String.format("  frequency:    %+.1f ppb%n", frequencyPpb));
        sb.append(String.format("  time error:   %s%n", Double.isFinite(timeErrorNs)
                ? String.format("within %.0f ns (estimated)", timeErrorNs) : "unknown (not locked)"));
        sb.append(String.format("  time of day:  %s%n", tod));
        sb.append(String.format("  last pulse:   %s%n", lastPulseAgeS < 0 || Double.isNaN(lastPulseAgeS) ? "none yet"
                : String.format("%.1f s ago", lastPulseAgeS)));
        sb.append(String.format("  pulses:       %d accepted, %d missing, %d outliers, %d glitches%n",
                acceptedPulses, missingPulses, outliers, glitches));
        sb.append(String.format("  servo:        %s%n", servo));
        sb.append(String.format("  outputs:      %s%n", outputs.isEmpty() ? "none" : String.join(", ", outputs)));
        receiver.ifPresent(r -> sb.append(String.format("  receiver:     %s%n", r.paired()
                ? String.format(Locale.ROOT, "messages %.0f ms after the pulse ('pps2phc tod' for more)",
                r.delayNs() / 1e6) : "not paired with the pulses yet ('pps2phc tod' for more)")));
        long ageMs = nowMs - updatedMs;
        if (ageMs > 5000) {
            sb.append(String.format("  (this status is %.0f s old: the daemon may be stuck)%n", ageMs / 1000.0));
        }
        return sb.toString();
    }

    private static String duration(double s) {
        long t = (long) s;
        return t >= 86400 ? String.format("%dd %02dh", t / 86400, t % 86400 / 3600)
                : t >= 3600 ? String.format("%dh %02dm", t / 3600, t % 3600 / 60)
                : t >= 60 ? String.format("%dm %02ds", t / 60, t % 60) : t + " s";
    }
}
