package org.pwtck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.pwtck.cli.gate.Budget;

class BudgetTest {
    @Test
    void parsesPercentilesAndUnits() {
        Budget b = Budget.parse("p99=2ms, p50=500us,p99.9=1.5s,p90=20µs");

        assertEquals(4, b.limits().size());
        assertEquals(new Budget.Limit(99, "p99", 2000), b.limits().get(0));
        assertEquals(new Budget.Limit(50, "p50", 500), b.limits().get(1));
        assertEquals(new Budget.Limit(99.9, "p99.9", 1_500_000), b.limits().get(2));
        assertEquals(new Budget.Limit(90, "p90", 20), b.limits().get(3));
    }

    @Test
    void refusesWhatItCannotRead() {
        for (String bad :
                new String[] {
                    "",
                    "p99",
                    "p99=",
                    "p99=2",
                    "p99=2min",
                    "p75=1ms",
                    "p99=-1ms",
                    "p99=2ms,",
                    "p99=1ms,p99=2ms"
                }) {
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> Budget.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("--budget"), e.getMessage());
        }
    }

    @Test
    void formatsForPeople() {
        assertEquals("850 µs", Budget.format(850));
        assertEquals("2.31 ms", Budget.format(2310));
    }
}
