package org.pps2phc.linux;

/** Which pin carries the PPS: by index, or by the name the driver gives it (ts2phc's pin_index / pin_name). */
public record PinChoice(int index, String name) {
    /** Pin 0, ts2phc's default. */
    public static final PinChoice DEFAULT = byIndex(0);

    public static PinChoice byIndex(int index) {
        return new PinChoice(index, null);
    }

    public static PinChoice byName(String name) {
        return new PinChoice(-1, name);
    }

    @Override
    public String toString() {
        return name != null ? "pin '" + name + "'" : "pin " + index;
    }
}
