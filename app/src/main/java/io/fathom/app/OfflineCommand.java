package io.fathom.app;

import io.fathom.offline.CompactionResult;
import io.fathom.offline.OfflineCompactor;
import io.fathom.offline.OfflineException;
import java.io.PrintWriter;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code fathom offline compact}: merges a view's small Parquet files without changing any query's answer. */
@Command(
        name = "offline",
        description = "Maintain the offline store.",
        subcommands = {OfflineCommand.Compact.class})
public final class OfflineCommand {
    private OfflineCommand() {}

    @Command(
            name = "compact",
            description = "Merge the small files of a view's date partitions (all dates, or --date).")
    static final class Compact implements Callable<Integer> {
        @Mixin
        Console console;

        @Option(names = "--view", required = true, description = "The view whose files to compact.")
        String view;

        @Option(names = "--date", description = "One date partition (YYYY-MM-DD); default: every date.")
        LocalDate date;

        @Mixin
        OfflineStoreOption offline;

        @Override
        public Integer call() {
            PrintWriter out = console.out();
            try (OfflineCompactor compactor = new OfflineCompactor(offline.config())) {
                List<LocalDate> dates = date != null ? List.of(date) : compactor.dates(view);
                for (LocalDate d : dates) {
                    CompactionResult result = compactor.compact(view, d);
                    out.printf(
                            "%s date=%s: %d files -> %d, %,d rows (%,d duplicate rows dropped)%n",
                            view,
                            d,
                            result.filesBefore(),
                            result.filesAfter(),
                            result.rowsWritten(),
                            result.duplicateRowsDropped());
                }
                out.flush();
                return 0;
            } catch (OfflineException e) {
                return console.fail(1, e.getMessage());
            }
        }
    }
}
