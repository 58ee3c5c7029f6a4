package org.pwtck.host.imports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pwtck.host.abi.AbiFunction;
import org.pwtck.host.abi.Callback;
import org.pwtck.host.context.HostServices;
import org.pwtck.host.context.StreamInfo;
import org.pwtck.host.context.StreamListener;
import org.pwtck.host.testing.TestHost;

class TickImportsTest {
    private static final AbiFunction SET_TICK = AbiFunction.PROXY_SET_TICK_PERIOD_MILLISECONDS;
    static final byte[] WASM =
            RecordingModule.module(
                    List.of(SET_TICK), RecordingModule.callback(Callback.PROXY_ON_TICK));

    private ManualScheduler scheduler;
    private TestHost host;

    @BeforeEach
    void start() {
        scheduler = new ManualScheduler();
        host = TestHost.start(WASM, HostServices.inMemory().withScheduler(scheduler));
    }

    @AfterEach
    void stop() {
        host.close();
    }

    private List<RecordingModule.Event> ticks() {
        host.vm.drain();
        List<RecordingModule.Event> events = RecordingModule.events(host);
        events.forEach(e -> assertEquals(Callback.PROXY_ON_TICK, e.callback()));
        return events;
    }

    @Test
    void tickPeriodSchedulesRepeatedTicksOnTheRootContext() {
        assertEquals(0, host.call(SET_TICK, 250));
        assertEquals(1, scheduler.live().size());
        assertEquals(Duration.ofMillis(250), scheduler.live().get(0).period());
        assertEquals(0, ticks().size(), "nothing before the first period elapses");
        scheduler.elapse();
        scheduler.elapse();
        scheduler.elapse();
        List<RecordingModule.Event> ticks = ticks();
        assertEquals(3, ticks.size());
        ticks.forEach(t -> assertEquals(host.root(), t.args()[0]));
    }

    @Test
    void periodZeroStopsTheTicks() {
        assertEquals(0, host.call(SET_TICK, 100));
        scheduler.elapse();
        assertEquals(0, host.call(SET_TICK, 0));
        assertEquals(0, scheduler.live().size());
        scheduler.elapse();
        assertEquals(1, ticks().size());
    }

    @Test
    void periodZeroWithoutTicksIsOk() {
        assertEquals(0, host.call(SET_TICK, 0));
        assertEquals(0, scheduler.tasks.size());
    }

    @Test
    void aNewPeriodReplacesTheOldOne() {
        assertEquals(0, host.call(SET_TICK, 100));
        assertEquals(0, host.call(SET_TICK, 40));
        assertEquals(2, scheduler.tasks.size());
        assertFalse(scheduler.tasks.get(0).live(), "the old timer is cancelled");
        assertEquals(Duration.ofMillis(40), scheduler.live().get(0).period());
        scheduler.elapse();
        assertEquals(1, ticks().size());
    }

    @Test
    void periodSetFromAStreamContextAppliesToItsRoot() {
        int s = host.vm.newHttpStream(StreamListener.NONE, StreamInfo.local()).contextId();
        assertEquals(0, host.callIn(s, SET_TICK, 30));
        scheduler.elapse();
        List<RecordingModule.Event> ticks = ticks();
        assertEquals(1, ticks.size());
        assertEquals(host.root(), ticks.get(0).args()[0]);
        assertEquals(30, host.vm.executor().call(() -> host.vm.rootContext().tickPeriodMillis()));
        assertEquals(0, host.callIn(s, SET_TICK, 0), "and a stream can stop them");
        assertEquals(0, scheduler.live().size());
    }

    @Test
    void tickNowRunsOnTickOnceOnTheRoot() {
        host.vm.tickNow();
        List<RecordingModule.Event> ticks = ticks();
        assertEquals(1, ticks.size());
        assertEquals(host.root(), ticks.get(0).args()[0]);
    }

    @Test
    void aTickAlreadyQueuedWhenTheTimerStopsIsNotDelivered() {
        assertEquals(0, host.call(SET_TICK, 100));
        ManualScheduler.Scheduled task = scheduler.live().get(0);
        host.vm
                .executor()
                .call(
                        () -> {
                            task.action().run(); // the timer fires while the VM is busy
                            assertEquals(0, host.call(SET_TICK, 0));
                            return null;
                        });
        assertEquals(0, ticks().size());
    }

    @Test
    void aTickQueuedByAReplacedTimerIsNotDelivered() {
        assertEquals(0, host.call(SET_TICK, 100));
        ManualScheduler.Scheduled old = scheduler.live().get(0);
        host.vm
                .executor()
                .call(
                        () -> {
                            old.action().run();
                            assertEquals(0, host.call(SET_TICK, 50));
                            return null;
                        });
        assertEquals(0, ticks().size());
        scheduler.elapse();
        assertEquals(1, ticks().size());
    }

    @Test
    void closingTheVmCancelsTheTimer() {
        assertEquals(0, host.call(SET_TICK, 100));
        host.close();
        assertTrue(scheduler.live().isEmpty());
    }
}
