package io.fathom.schemas.internal;

import io.fathom.schemas.yaml.Problems;

/** What the readers of a list's items ({@code views}, {@code monitors}) share: the checks, their problems, the names. */
abstract class ItemReader {
    final Checks checks;
    final Problems problems;
    final Symbols symbols;

    ItemReader(Checks checks, Symbols symbols) {
        this.checks = checks;
        this.problems = checks.problems();
        this.symbols = symbols;
    }
}
