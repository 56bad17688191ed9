package org.pps2phc.core.servo;

import java.util.List;

/** The servos by name ({@code clock_servo}, {@code --servo}). */
public final class Servos {
    private Servos() {
    }

    public static List<String> names() {
        return List.of(PiServo.NAME, KalmanServo.NAME);
    }

    /**
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Servo create(String name, ServoConfig config, double dialledPpb, long deviceMaxAdjPpb) {
        return switch (name) {
            case PiServo.NAME, "pi" -> new PiServo(config, dialledPpb, deviceMaxAdjPpb);
            case KalmanServo.NAME -> new KalmanServo(config, KalmanConfig.bank(), dialledPpb, deviceMaxAdjPpb);
            default -> throw new IllegalArgumentException(
                    "unknown servo '" + name + "' (known: " + String.join(", ", names()) + ")");
        };
    }
}
