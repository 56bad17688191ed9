package org.pps2phc.config;

import java.util.List;
import java.util.Locale;

/**
 * How a key's text value is read and checked. {@link #parse} throws {@link IllegalArgumentException} whose message
 * says what is allowed, for the "file:line: bad value" error.
 */
public abstract class ValueType {
    /** What the value may be, for errors and docs ("an integer from 0 to 255"). */
    public abstract String allowed();

    public abstract Object parse(String text);

    public static ValueType integer(long min, long max) {
        return new IntegerType(min, max, 10);
    }

    /** An integer written in hex (0x..) or decimal, as ptp4l's clockAccuracy and similar fields are. */
    public static ValueType hexInteger(long min, long max) {
        return new IntegerType(min, max, 16);
    }

    public static ValueType octal(long min, long max) {
        return new IntegerType(min, max, 8);
    }

    public static ValueType decimal(double min, double max) {
        return new DecimalType(min, max);
    }

    public static ValueType choice(String... values) {
        return new ChoiceType(List.of(values));
    }

    public static ValueType bool() {
        return new BoolType();
    }

    public static ValueType text(int maxLength) {
        return new TextType(maxLength);
    }

    /**
     * {@code base}, further checked by {@code check}, which throws IllegalArgumentException saying what is wrong (an
     * adapter's own parser, so that the file is checked exactly as the adapter will read it).
     */
    public static ValueType checked(ValueType base, java.util.function.Consumer<String> check) {
        return new ValueType() {
            @Override
            public String allowed() {
                return base.allowed();
            }

            @Override
            public Object parse(String text) {
                Object v = base.parse(text);
                check.accept(text);
                return v;
            }
        };
    }

    private static final class IntegerType extends ValueType {
        private final long min;
        private final long max;
        private final int radix;

        IntegerType(long min, long max, int radix) {
            this.min = min;
            this.max = max;
            this.radix = radix;
        }

        @Override
        public String allowed() {
            String range = min == max ? "exactly " + show(min) : "from " + show(min) + " to " + show(max);
            return switch (radix) {
                case 16 -> "an integer (decimal or 0x hex) " + range;
                case 8 -> "an octal mode " + range;
                default -> "an integer " + range;
            };
        }

        private String show(long v) {
            return radix == 16 ? "0x" + Long.toHexString(v) : radix == 8 ? "0" + Long.toOctalString(v) : Long.toString(v);
        }

        @Override
        public Object parse(String text) {
            long v;
            try {
                if (radix == 16 && text.toLowerCase(Locale.ROOT).startsWith("0x")) {
                    v = Long.parseLong(text.substring(2), 16);
                } else if (radix == 8) {
                    v = Long.parseLong(text, 8);
                } else {
                    v = Long.parseLong(text);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + allowed());
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("out of range: expected " + allowed());
            }
            return v;
        }
    }

    private static final class DecimalType extends ValueType {
        private final double min;
        private final double max;

        DecimalType(double min, double max) {
            this.min = min;
            this.max = max;
        }

        @Override
        public String allowed() {
            boolean unboundedBelow = min == -Double.MAX_VALUE;
            boolean unboundedAbove = max == Double.MAX_VALUE;
            if (unboundedBelow && unboundedAbove) {
                return "a number";
            }
            if (unboundedAbove) {
                return min == 0 ? "a number, 0 or more" : "a number from " + fmt(min) + " up";
            }
            if (min == Double.MIN_VALUE) {
                return "a number above 0, at most " + fmt(max);
            }
            return "a number from " + fmt(min) + " to " + fmt(max);
        }

        private static String fmt(double v) {
            return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
        }

        @Override
        public Object parse(String text) {
            double v;
            try {
                v = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected " + allowed());
            }
            if (!Double.isFinite(v) || v < min || v > max) {
                throw new IllegalArgumentException("out of range: expected " + allowed());
            }
            return v;
        }
    }

    private static final class ChoiceType extends ValueType {
        private final List<String> values;

        ChoiceType(List<String> values) {
            this.values = values;
        }

        @Override
        public String allowed() {
            return values.size() == 1 ? "'" + values.get(0) + "'" : "one of " + String.join(", ", values);
        }

        @Override
        public Object parse(String text) {
            if (!values.contains(text)) {
                throw new IllegalArgumentException("expected " + allowed());
            }
            return text;
        }
    }

    private static final class BoolType extends ValueType {
        @Override
        public String allowed() {
            return "0 or 1";
        }

        @Override
        public Object parse(String text) {
            return switch (text) {
                case "0" -> Boolean.FALSE;
                case "1" -> Boolean.TRUE;
                default -> throw new IllegalArgumentException("expected " + allowed());
            };
        }
    }

    private static final class TextType extends ValueType {
        private final int maxLength;

        TextType(int maxLength) {
            this.maxLength = maxLength;
        }

        @Override
        public String allowed() {
            return maxLength < 1000 ? "text of at most " + maxLength + " characters" : "text";
        }

        @Override
        public Object parse(String text) {
            if (text.length() > maxLength) {
                throw new IllegalArgumentException("too long: expected " + allowed());
            }
            return text;
        }
    }
}
