package io.fathom.schemas.yaml;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** "Did you mean": the known name closest to a misspelt one, by Levenshtein distance. */
public final class Suggestions {
    private Suggestions() {}

    /** The closest candidate at most two edits away (one for short words), if any. */
    public static Optional<String> closest(String typed, Collection<String> candidates) {
        int allowed = typed.length() <= 3 ? 1 : 2;
        return candidates.stream()
                .filter(c -> !c.equals(typed))
                .map(c -> new Scored(c, distance(typed.toLowerCase(), c.toLowerCase())))
                .filter(s -> s.distance() <= allowed)
                .min(Comparator.comparingInt(Scored::distance))
                .map(Scored::candidate);
    }

    /** {@code " (did you mean \"x\"?)"} or the empty string. */
    public static String didYouMean(String typed, Collection<String> candidates) {
        return closest(typed, candidates)
                .map(c -> " (did you mean " + Quoting.quote(c) + "?)")
                .orElse("");
    }

    private record Scored(String candidate, int distance) {}

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
