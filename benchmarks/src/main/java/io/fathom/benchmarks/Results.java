package io.fathom.benchmarks;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The figures of one benchmark run, printed last as lines a script can read: {@code result <name> <number>}
 * (issue 11; {@code benchmarks/run} relies on it). Names are lower-case words joined by {@code _}; numbers are
 * plain decimals (no grouping, no exponent), rounded to 6 significant digits. A figure that could not be
 * measured (NaN) is left out rather than printed as a number. The last line is the 1-minute load average at
 * the end of the run ({@code result load_average_1m}), so a figure measured on a busy machine says so.
 */
final class Results {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

    private final Map<String, Double> figures = new LinkedHashMap<>();

    /** Records a figure; a name given twice keeps the last value. */
    void put(String name, double value) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("result name must match " + NAME + ": " + name);
        }
        figures.put(name, value);
    }

    /** Prints every finite figure as {@code result <name> <number>}, then the 1-minute load average. */
    void print() {
        System.out.println();
        figures.forEach((name, value) -> {
            if (Double.isFinite(value)) {
                System.out.println("result " + name + " " + format(value));
            }
        });
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        if (load >= 0) {
            System.out.println("result load_average_1m " + format(load));
        }
        System.out.flush();
    }

    static String format(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return new BigDecimal(value)
                .round(new MathContext(6))
                .stripTrailingZeros()
                .toPlainString()
                .toLowerCase(Locale.ROOT);
    }
}
