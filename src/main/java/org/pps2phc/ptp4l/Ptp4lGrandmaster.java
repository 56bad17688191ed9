package org.pps2phc.ptp4l;

import java.time.Duration;
import java.util.OptionalDouble;
import org.pps2phc.core.LeapState;
import org.pps2phc.core.State;

/**
 * The daemon's one handle on ptp4l: the policy (state → settings) and the keeper (send, check, restore) over a
 * management client. Call {@link #update} from one worker thread, at least once a second and on every state change;
 * it returns within about one reply timeout and never throws for ptp4l's faults.
 */
public final class Ptp4lGrandmaster implements AutoCloseable {
    private final GrandmasterPolicy policy;
    private final GrandmasterKeeper keeper;
    private final AutoCloseable connection;

    Ptp4lGrandmaster(GrandmasterPolicy policy, GrandmasterKeeper keeper, AutoCloseable connection) {
        this.policy = policy;
        this.keeper = keeper;
        this.connection = connection;
    }

    /**
     * Binds pps2phc's reply address (ptp4l need not be running).
     *
     * @param checkPeriod how often ptp4l's settings are read back (and restored if ptp4l lost them); 5 s suggested
     * @throws Ptp4lException when the reply address cannot be bound (a configuration or permission fault)
     */
    public static Ptp4lGrandmaster open(Ptp4lClientConfig client, GrandmasterPolicyConfig policy, Duration checkPeriod)
            throws Ptp4lException {
        Ptp4lClient c = Ptp4lClient.open(client);
        return new Ptp4lGrandmaster(new GrandmasterPolicy(policy),
                new GrandmasterKeeper(c, checkPeriod, GrandmasterKeeper.DEFAULT_RETRY_INTERVAL), c);
    }

    /**
     * Brings ptp4l in line with the discipline state.
     *
     * @param holdoverWithinBudget for HOLDOVER: still within its budget (the engine itself moves to FREE_RUNNING
     *                             when the budget is spent, so passing {@code true} is right for its HOLDOVER)
     * @param utcNowNs             UTC (POSIX) time now, for the leap-second flags and the offset
     */
    public KeeperReport update(long nowMonoNs, State state, boolean holdoverWithinBudget, LeapState leap,
                               long utcNowNs) {
        return update(nowMonoNs, state, holdoverWithinBudget, leap, utcNowNs, OptionalDouble.empty());
    }

    /**
     * As {@link #update(long, State, boolean, LeapState, long)}, with the engine's bound on the time error, which is
     * announced as the clockAccuracy whenever it is worse than the configured one (a long holdover, a noisy PPS).
     */
    public KeeperReport update(long nowMonoNs, State state, boolean holdoverWithinBudget, LeapState leap,
                               long utcNowNs, OptionalDouble timeErrorBoundNs) {
        return keeper.tick(nowMonoNs, policy.settingsFor(state, holdoverWithinBudget, leap, utcNowNs,
                timeErrorBoundNs));
    }

    /** Leaves ptp4l announcing "not in sync"; call before {@link #close()} when pps2phc stops. */
    public KeeperReport shutdown(long nowMonoNs, LeapState leap, long utcNowNs) {
        return keeper.shutdown(nowMonoNs, policy.notInSync(leap, utcNowNs));
    }

    public GrandmasterPolicy policy() {
        return policy;
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the ptp4l client failed", e);
        }
    }
}
