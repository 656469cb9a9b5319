package io.fathom.app.report;

import java.util.Locale;

/** How reports write numbers: four significant digits, and shares as percentages. */
public final class Numbers {
    private Numbers() {}

    /** Four significant digits, no trailing zeros; "–" for an undefined number. */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "–";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "∞" : "−∞";
        }
        if (value == 0) {
            return "0";
        }
        double magnitude = Math.abs(value);
        if (magnitude >= 1e6 || magnitude < 1e-4) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        String text = String.format(Locale.ROOT, "%.4g", value);
        if (text.contains(".")) {
            text = text.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return text;
    }

    /** A share (0.25) as a percentage ("25%"): whole percentages bare, else one decimal (two below 1%). */
    public static String percent(double share) {
        if (Double.isNaN(share)) {
            return "–";
        }
        double p = share * 100;
        if (Math.abs(p - Math.rint(p)) < 1e-9) {
            return String.format(Locale.ROOT, "%.0f%%", p);
        }
        return (Math.abs(p) < 1 ? String.format(Locale.ROOT, "%.2f", p) : String.format(Locale.ROOT, "%.1f", p)) + "%";
    }
}
