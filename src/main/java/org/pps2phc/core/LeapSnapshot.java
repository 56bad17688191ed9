package org.pps2phc.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One consistent leap picture, reconciled in one place from every source that knows something about it: the
 * kernel's TAI offset with its time state (adjtimex), chrony's leap status, the leap-seconds file and the configured
 * {@code utc_offset}. Pure: the adapters read the sources, this decides.
 *
 * <p>Every source is put in the same terms first: TAI-UTC just before and just after the one midnight that matters
 * now. Leap seconds happen only at the end of a month, so on a month's last day that is the coming midnight, on its
 * first day the one just passed, and on any other day there is none. In those terms a query inside 23:59:60 is no
 * special case: the kernel is in TIME_OOP with its offset already incremented, which says 37 before and 38 after,
 * exactly what chrony's still-pending insert and the leap file say. Sources that disagree are reported, each with
 * what it says; the leap file outranks the kernel, which outranks chrony and the configuration. Once the midnight
 * has passed, the result is the offset in effect now, with no leap pending.
 */
public final class LeapSnapshot {
    /** adjtimex(2) return values. */
    public static final int TIME_OK = 0;
    public static final int TIME_INS = 1;
    public static final int TIME_DEL = 2;
    public static final int TIME_OOP = 3;
    public static final int TIME_WAIT = 4;
    public static final int TIME_ERROR = 5;

    private static final long DAY_S = 86_400L;
    private static final String CONFIG = "config utc_offset";

    /**
     * The kernel's view, from one read-only adjtimex.
     *
     * @param taiOffsetS TAI-UTC the kernel holds; 0 when nobody set it
     * @param state      adjtimex's return ({@link #TIME_OK} ... {@link #TIME_ERROR})
     * @param insert     STA_INS: a second is to be inserted at the end of the day (or was, in TIME_WAIT)
     * @param delete     STA_DEL: likewise for a deleted second
     */
    public record Kernel(int taiOffsetS, int state, boolean insert, boolean delete) {
        /** Only the offset is known, not the time state (state -1): it then says nothing about a leap. */
        public static Kernel offsetOnly(int taiOffsetS) {
            return new Kernel(taiOffsetS, -1, false, false);
        }
    }

    /**
     * What the sources say at one instant.
     *
     * @param utcNowS    UTC (POSIX seconds) of the query; inside 23:59:60 that is the repeated 23:59:59
     * @param kernel     the kernel's view, if it could be read
     * @param chrony     chrony's leap status (NONE, INSERT, DELETE), empty when chrony is unsynchronised or silent
     * @param leapfile   the leap-seconds table, if one is usable
     * @param leapfileName for messages and the source ("leapfile /usr/share/zoneinfo/leap-seconds.list")
     * @param configured the configured utc_offset, if any
     */
    public record Inputs(long utcNowS, Optional<Kernel> kernel, Optional<Leap> chrony, Optional<LeapTable> leapfile,
                         String leapfileName, OptionalInt configured) {
    }

    /**
     * The reconciled picture.
     *
     * @param state         what the engine gets: TAI-UTC before the midnight that matters, and its leap
     * @param known         false when no source gave TAI-UTC (the offset is a placeholder)
     * @param disagreements one line per source that says otherwise than the outcome, naming what each says
     */
    public record Result(LeapState state, boolean known, List<String> disagreements) {
        public Result {
            disagreements = List.copyOf(disagreements);
        }

        public boolean consistent() {
            return disagreements.isEmpty();
        }
    }

    /**
     * One source in common terms: TAI-UTC just before and just after the midnight, and the step between them; any
     * of them may be unknown (chrony knows the step only; a kernel whose flags were cleared, the offset after only).
     */
    private record View(String name, OptionalInt before, OptionalInt after, OptionalInt step, String says) {
        static View offsets(String name, OptionalInt before, OptionalInt after, String says) {
            OptionalInt step = before.isPresent() && after.isPresent()
                    ? OptionalInt.of(after.getAsInt() - before.getAsInt()) : OptionalInt.empty();
            return new View(name, before, after, step, says);
        }
    }

    private LeapSnapshot() {
    }

    /** TAI-UTC shown when nothing is known, only so that a state can be shown; verdicts are untrusted then. */
    public static final int PLACEHOLDER_OFFSET = 37;

    public static Result reconcile(Inputs in) {
        long next = LeapTable.nextUtcMidnight(in.utcNowS());
        long today = next - DAY_S;
        boolean lastDay = next == LeapTable.startOfNextUtcMonth(in.utcNowS());
        boolean firstDay = LeapTable.startOfNextUtcMonth(today - 1) == today;
        long midnight = lastDay || !firstDay ? next : today;
        boolean leapPossible = lastDay || firstDay;
        String when = LeapTable.utcDate(midnight - 1) + " 24:00";

        List<String> notes = new ArrayList<>();
        List<View> views = new ArrayList<>();
        // a current leap file outranks the kernel; an expired one cannot know of a later leap, so it ranks below
        Optional<LeapTable> file = in.leapfile();
        boolean fileCurrent = file.isPresent() && !file.get().expiredAt(midnight);
        if (fileCurrent) {
            views.add(fileView(file.get(), midnight, in.leapfileName(), when));
        }
        in.kernel().ifPresent(k -> views.add(kernelView(k, midnight == next, leapPossible, when, notes)));
        if (file.isPresent() && !fileCurrent) {
            views.add(fileView(file.get(), midnight, in.leapfileName(), when));
        }
        if (midnight == next) {
            // after the midnight chrony's status lags until its next update: it is about the coming midnight only
            in.chrony().ifPresent(l -> views.add(chronyView(l, leapPossible, when, notes)));
        }
        in.configured().ifPresent(c -> views.add(View.offsets(CONFIG, OptionalInt.of(c),
                OptionalInt.empty(), "TAI-UTC " + c)));

        // the leap from the best source that knows it, the offset from the best that has one
        int step = 0;
        String stepFrom = null;
        for (View v : views) {
            if (v.step().isPresent()) {
                step = v.step().getAsInt();
                stepFrom = v.name();
                break;
            }
        }
        Integer before = null;
        String offsetFrom = null;
        for (View v : views) {
            if (v.before().isPresent()) {
                before = v.before().getAsInt();
            } else if (v.after().isPresent()) {
                before = v.after().getAsInt() - step;
            } else {
                continue;
            }
            offsetFrom = v.name();
            break;
        }
        boolean known = before != null;
        int offset = known ? before : PLACEHOLDER_OFFSET;
        String outcome = "TAI-UTC " + offset + " before " + when + (step == 0 ? ", no leap second"
                : ", " + (offset + step) + " after") + " (from " + (known ? offsetFrom : "nothing")
                + (stepFrom != null && !stepFrom.equals(offsetFrom) ? ", the leap from " + stepFrom : "") + ")";
        for (View v : views) {
            if (v.name().equals(CONFIG) && !CONFIG.equals(offsetFrom)) {
                continue; // utc_offset is where to start, not a claim: any better source overrides it silently
            }
            boolean differs = v.before().isPresent() && v.before().getAsInt() != offset
                    || v.after().isPresent() && v.after().getAsInt() != offset + step
                    || v.step().isPresent() && v.step().getAsInt() != step;
            if (differs) {
                notes.add(v.name() + " says " + v.says() + "; using " + outcome);
            }
        }
        String source = known ? offsetFrom : "unknown";
        if (midnight != next) {
            // the leap is past: the offset in effect now, as the engine holds it once its pulses passed midnight
            return new Result(LeapState.fixed(offset + step, source), known, notes);
        }
        Leap pending = step > 0 ? Leap.INSERT : step < 0 ? Leap.DELETE : Leap.NONE;
        if (pending != Leap.NONE && stepFrom != null && !stepFrom.equals(offsetFrom)) {
            source += ", leap from " + stepFrom;
        }
        return new Result(new LeapState(offset, pending, pending == Leap.NONE ? 0 : midnight, source), known, notes);
    }

    private static View fileView(LeapTable t, long midnight, String name, String when) {
        OptionalInt before = t.taiMinusUtcAt(midnight - 1);
        // an expired table cannot know of a leap second announced after it: only its offset before counts
        OptionalInt after = t.expiredAt(midnight) ? OptionalInt.empty() : t.taiMinusUtcAt(midnight);
        return View.offsets(name, before, after, "TAI-UTC " + describe(before, after, when));
    }

    private static View kernelView(Kernel k, boolean comingMidnight, boolean leapPossible, String when,
                                   List<String> notes) {
        boolean set = k.taiOffsetS() > 0;
        int tai = k.taiOffsetS();
        int flags = k.insert() ? 1 : k.delete() ? -1 : 0;
        String state = stateName(k.state()) + (k.insert() ? " STA_INS" : "") + (k.delete() ? " STA_DEL" : "");
        String name = "kernel";
        if (k.state() < 0) {
            // the offset of now, and nothing about a leap
            OptionalInt now = set ? OptionalInt.of(tai) : OptionalInt.empty();
            return comingMidnight
                    ? new View(name, now, OptionalInt.empty(), OptionalInt.empty(), "TAI-UTC " + tai + " now")
                    : new View(name, OptionalInt.empty(), now, OptionalInt.empty(), "TAI-UTC " + tai + " now");
        }
        if (comingMidnight) {
            int sign = k.state() == TIME_OOP || k.state() == TIME_INS ? 1 : k.state() == TIME_DEL ? -1 : flags;
            if (sign != 0 && !leapPossible) {
                notes.add("kernel (" + state + ") announces a leap second for " + when + ", which ends no month: "
                        + "ignored");
                sign = 0;
            }
            // inside 23:59:60 (TIME_OOP) the kernel has already counted the inserted second
            int base = k.state() == TIME_OOP ? tai - 1 : tai;
            OptionalInt before = set ? OptionalInt.of(base) : OptionalInt.empty();
            OptionalInt after = set ? OptionalInt.of(base + sign) : OptionalInt.empty();
            return new View(name, before, after, OptionalInt.of(sign), "TAI-UTC " + describe(before, after, when)
                    + " (" + state + ")");
        }
        // the first day of a month: the midnight just passed
        OptionalInt after = set ? OptionalInt.of(tai) : OptionalInt.empty();
        if (k.state() == TIME_WAIT && flags != 0) {
            // after the leap the kernel waits in TIME_WAIT until STA_INS / STA_DEL are cleared: they say which
            OptionalInt before = set ? OptionalInt.of(tai - flags) : OptionalInt.empty();
            return new View(name, before, after, OptionalInt.of(flags), "TAI-UTC " + describe(before, after, when)
                    + " (" + state + ")");
        }
        if (flags != 0) {
            notes.add("kernel (" + state + ") announces a leap second for the end of today, which ends no month: "
                    + "ignored");
        }
        // with the flags cleared nothing says whether a leap happened: only the offset now is known
        return new View(name, OptionalInt.empty(), after, OptionalInt.empty(),
                "TAI-UTC " + describe(OptionalInt.empty(), after, when) + " (" + state + ")");
    }

    private static View chronyView(Leap leap, boolean leapPossible, String when, List<String> notes) {
        int step = leap == Leap.INSERT ? 1 : leap == Leap.DELETE ? -1 : 0;
        String says = "leap status " + leap.name().toLowerCase() + " for " + when;
        if (step != 0 && !leapPossible) {
            notes.add("chrony announces a leap second for " + when + ", which ends no month: ignored");
            return new View("chrony", OptionalInt.empty(), OptionalInt.empty(), OptionalInt.empty(), says);
        }
        return new View("chrony", OptionalInt.empty(), OptionalInt.empty(), OptionalInt.of(step), says);
    }

    private static String describe(OptionalInt before, OptionalInt after, String when) {
        String b = before.isPresent() ? Integer.toString(before.getAsInt()) : "?";
        String a = after.isPresent() ? Integer.toString(after.getAsInt()) : "?";
        return b + " before " + when + ", " + a + " after";
    }

    private static String stateName(int state) {
        return switch (state) {
            case TIME_OK -> "TIME_OK";
            case TIME_INS -> "TIME_INS";
            case TIME_DEL -> "TIME_DEL";
            case TIME_OOP -> "TIME_OOP";
            case TIME_WAIT -> "TIME_WAIT";
            case TIME_ERROR -> "TIME_ERROR";
            default -> "state " + state;
        };
    }
}
