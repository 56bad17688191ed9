package org.pps2phc.daemon;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.pps2phc.core.DisciplineConfig;
import org.pps2phc.core.State;
import org.pps2phc.sim.Metrics;
import org.pps2phc.sim.Scenarios;
import org.pps2phc.sim.SimParameters;
import org.pps2phc.sim.SimRunner;
import org.pps2phc.sim.Window;

/**
 * A random sweep of the simulator's faults against the engine, each run judged on ground truth by the claims
 * docs/simulator.md states ("Metrics"): no wrong edge, no wrong second unless the PHC was stepped from outside by
 * half a second or more, at most 2 s of false lock and of a broken bound per change made from outside (and, for one
 * made while no pulse comes, until they are back: docs/design.md, "Noticing a fault from outside"), and back under
 * 100 ns within 120 s of every interruption (plus, when chrony's verdict was untrusted for a while, that while: a
 * device back or a phase lost waits for a trusted time of day to name the PHC's seconds). Case N is drawn from N
 * alone, so a broken one is reproduced by its number, or by the {@code pps2phc simulate} line it prints. It lives
 * in the composition root because {@code tod.source=gnss} runs the receiver adapter's path. Run by
 * scripts/fault-sweep.sh.
 *
 * <p>What it does not draw: whole-second system-clock errors and TAI-UTC errors that last beyond {@code
 * tod_overrule} (followed by design, docs/time-of-day.md and docs/design.md), and missing pulses together with a
 * change from outside (noticed at the second pulse after it, which may then be seconds later).
 *
 * <p>Usage: {@code FaultSweep FIRST COUNT [DURATION_S]}; exits 1 when a claim broke.
 */
public final class FaultSweep {
    static final long RECOVERY_LIMIT_S = 120;
    static final long PER_EXTERNAL_CHANGE_S = 2;
    private static final List<String> PRESETS = List.of("i210-f9t", "e810-gpsdo", "cm4-m8t", "harsh");
    private static final List<String> FAULTS = List.of("pps.outages", "pps.glitch_prob", "tai.glitch", "sys.steps",
            "phc.external_steps", "phc.external_freq", "nic.removed", "sys.untrusted", "pps.miss_prob",
            "nic.reports_edges", "tod.source");

    /** One drawn run: the preset, the servo, the seed and the keys set. */
    record Case(long number, String preset, String servo, long seed, long durationS, Map<String, String> keys) {
        /** The run's model: the preset with the keys, whose own outages and untrusted windows count too. */
        SimParameters parameters() {
            Map<String, String> all = new LinkedHashMap<>(keys);
            all.put("sim.duration", Long.toString(durationS));
            return Scenarios.resolve(preset, all);
        }

        /**
         * The seconds of false lock or broken bound allowed: 2 per change from outside, noticed at the second
         * pulse after it; one made in an outage or while the device is gone shows only when pulses are back (a
         * step of a quarter second or more, or a frequency, leaves a phase error no reading of the clocks shows).
         */
        long allowedS() {
            long allowed = 0;
            for (String key : List.of("phc.external_steps", "phc.external_freq")) {
                if (keys.containsKey(key)) {
                    for (String change : keys.get(key).split(",")) {
                        allowed += PER_EXTERNAL_CHANGE_S + unseenS(Double.parseDouble(change.split(":")[0]));
                    }
                }
            }
            return allowed;
        }

        /** How long after {@code atS} the pulses stay away (an outage or a device gone), 0 if they do not. */
        private long unseenS(double atS) {
            SimParameters p = parameters();
            List<Window> away = new ArrayList<>(p.ppsOutages());
            away.addAll(p.faults().nicRemoved());
            long unseen = 0;
            for (Window w : away) {
                if (atS >= w.startS() && atS < w.endS()) {
                    unseen = Math.max(unseen, (long) Math.ceil(w.endS() - atS));
                }
            }
            return unseen;
        }

        /**
         * Seconds the recovery may take: a device back, or a phase lost, waits for a trusted time of day to name
         * the PHC's seconds, so with chrony's verdict untrusted ({@code sys.untrusted}) as long again as that lasts.
         */
        long recoveryLimitS() {
            long untrusted = 0;
            for (Window w : untrusted()) {
                untrusted += Math.min(w.endS(), durationS) - Math.min(w.startS(), durationS);
            }
            return RECOVERY_LIMIT_S + untrusted;
        }

        /** Whether a window of untrusted time of day reaches within the recovery limit of the run's end. */
        boolean untrustedUntilTheEnd() {
            return untrusted().stream()
                    .anyMatch(w -> w.startS() < durationS && w.endS() > durationS - RECOVERY_LIMIT_S);
        }

        /** chrony's verdict untrusted ({@code sys.untrusted}, the preset's too), unless the receiver is the source. */
        private List<Window> untrusted() {
            return "gnss".equals(keys.get("tod.source")) ? List.of() : parameters().sysUntrusted();
        }

        boolean stepsWholeSecondsFromOutside() {
            return keys.containsKey("phc.external_steps") && List.of(keys.get("phc.external_steps").split(","))
                    .stream().anyMatch(e -> Math.abs(Double.parseDouble(e.split(":")[1])) >= 5e8);
        }

        /** The command that runs this case again. */
        String command() {
            StringBuilder b = new StringBuilder("pps2phc simulate --scenario ").append(preset).append(" --servo ")
                    .append(servo).append(" --seed ").append(seed).append(" --duration ").append(durationS);
            keys.forEach((k, v) -> b.append(" --set ").append(k).append('=').append(v));
            return b.toString();
        }
    }

    private FaultSweep() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: FaultSweep FIRST COUNT [DURATION_S]");
            System.exit(64);
        }
        long first = Long.parseLong(args[0]);
        long count = Long.parseLong(args[1]);
        long duration = args.length > 2 ? Long.parseLong(args[2]) : 14_000;
        int broken = 0;
        for (long n = first; n < first + count; n++) {
            Case c = draw(n, duration);
            List<String> claims = broken(c, run(c));
            System.out.printf(Locale.ROOT, "case %d: %s: %s%n", n, claims.isEmpty() ? "ok" : "BROKEN "
                    + String.join(", ", claims), c.command());
            broken += claims.isEmpty() ? 0 : 1;
        }
        System.out.printf(Locale.ROOT, "%d of %d cases broke a claim%n", broken, count);
        System.exit(broken == 0 ? 0 : 1);
    }

    /** Case {@code number}: one to four faults, placed in the first 60 % of the run. */
    static Case draw(long number, long durationS) {
        SplittableRandom r = new SplittableRandom(number);
        String preset = pick(r, PRESETS);
        String servo = r.nextInt(3) == 0 ? "pi-linuxptp" : DisciplineConfig.defaults().servoName();
        List<String> faults = new ArrayList<>(FAULTS);
        Map<String, String> keys = new LinkedHashMap<>();
        int n = 1 + r.nextInt(4);
        for (int i = 0; i < n; i++) {
            String fault = faults.remove(r.nextInt(faults.size()));
            long at = 100 + r.nextLong(durationS * 6 / 10 - 100);
            switch (fault) {
                case "pps.outages" -> keys.put(fault, at + ":" + pick(r, List.of(5, 60, 300, 1200, 4000)));
                case "pps.glitch_prob" -> keys.put(fault, pick(r, List.of("0.001", "0.01", "0.05")));
                // within tod_overrule, as the system clock's steps
                case "tai.glitch" -> keys.put(fault, at + ":" + pick(r, List.of(5, 100, 600)) + ":"
                        + pick(r, List.of(-37, -1, 1, 2, 18)));
                case "sys.steps" -> {
                    long ms = pick(r, List.of(1500L, -1000L, 250L, -3000L, 40L));
                    keys.put(fault, at + ":" + ms + "," + (at + 60 + r.nextInt(540)) + ":" + -ms);
                }
                // 1.5 us, not 1: a step of exactly lock_threshold leaves the PHC as far off as the pulses' noise
                // makes it look, on the boundary of the lock's claim
                case "phc.external_steps" -> keys.put(fault, at + ".5:"
                        + pick(r, List.of(1500L, -50_000L, 1_000_000_000L, -2_000_000_000L, 37_000_000_000L)));
                case "phc.external_freq" -> keys.put(fault, at + ".5:" + pick(r, List.of(500, -20_000, 100_000)));
                case "nic.removed" -> keys.put(fault, at + ":" + pick(r, List.of(1, 30, 600, 3000)));
                case "sys.untrusted" -> keys.put(fault, at + ":" + pick(r, List.of(60, 1000, 5000)));
                case "pps.miss_prob" -> keys.put(fault, pick(r, List.of("0.05", "0.3")));
                case "nic.reports_edges" -> keys.put(fault, pick(r, List.of("single", "both")));
                case "tod.source" -> keys.put(fault, "gnss");
                default -> throw new IllegalStateException(fault);
            }
        }
        if (keys.containsKey("pps.miss_prob") && (keys.containsKey("phc.external_steps")
                || keys.containsKey("phc.external_freq"))) {
            keys.remove("pps.miss_prob");
        }
        return new Case(number, preset, servo, 1 + r.nextInt(1000), durationS, keys);
    }

    /** What the run of {@code c} gave, and the engine's state at its end. */
    record Outcome(Metrics metrics, State last) {
    }

    static Outcome run(Case c) {
        SimParameters p = c.parameters();
        SimRunner.Result r = SimRunner.run(c.preset(), p, DisciplineConfig.defaults(), c.servo(),
                (config, dialled, maxAdj) -> SimRunner.servo(c.servo(), p, config, dialled, maxAdj), c.seed(), null,
                null, Assemblies.simulatedReceiver(true));
        return new Outcome(r.metrics(), r.last().state());
    }

    /** The claims the run broke, each with its figure; empty when it kept them all. */
    static List<String> broken(Case c, Outcome o) {
        Metrics m = o.metrics();
        List<String> out = new ArrayList<>();
        long allowed = c.allowedS();
        if (m.lockTimeS() == null) {
            out.add("never locked");
        }
        if (m.wrongEdgeCount() > 0) {
            out.add("wrongEdgeCount " + m.wrongEdgeCount());
        }
        if (m.wrongSecondCount() > 0 && !c.stepsWholeSecondsFromOutside()) {
            out.add("wrongSecondCount " + m.wrongSecondCount());
        }
        if (m.falseLockS() > allowed) {
            out.add("falseLockS " + m.falseLockS() + " > " + allowed);
        }
        if (m.boundViolationS() > allowed) {
            out.add("boundViolationS " + m.boundViolationS() + " > " + allowed);
        }
        long recoveryLimit = c.recoveryLimitS();
        if (m.recoveryS() != null && m.recoveryS() < 0 && !c.untrustedUntilTheEnd()) {
            out.add("recoveryS never");
        } else if (m.recoveryS() != null && m.recoveryS() > recoveryLimit) {
            out.add("recoveryS " + m.recoveryS() + " > " + recoveryLimit);
        }
        return out;
    }

    private static <T> T pick(SplittableRandom r, List<T> from) {
        return from.get(r.nextInt(from.size()));
    }
}
