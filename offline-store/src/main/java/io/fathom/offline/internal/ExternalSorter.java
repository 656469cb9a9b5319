package io.fathom.offline.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sorts more items than fit in memory: a textbook external merge sort (Knuth, TAOCP vol. 3, 5.4.1).
 * Items accumulate in memory up to a byte budget (estimated by the codec); a full buffer is sorted and
 * spilled to a run file; {@link #sorted()} merges the runs and the last buffer with a heap, in passes of
 * at most {@value #FAN_IN} runs. With everything in memory nothing touches the disk. {@link #add} is
 * thread-safe; {@link #sorted()} is called once, after the last add.
 */
public final class ExternalSorter<T> implements AutoCloseable {
    static final int FAN_IN = 64;
    private static final int BUFFER_BYTES = 64 * 1024;
    private static final AtomicInteger RUN_IDS = new AtomicInteger();

    /** How items are written to and read from run files, and how much memory one takes. */
    public interface Codec<T> {
        void write(DataOutputStream out, T item) throws IOException;

        T read(DataInputStream in) throws IOException;

        /** Estimated heap bytes of an item, object headers included. */
        long estimatedBytes(T item);
    }

    /** An iterator over the sorted items that releases its files when closed. */
    public interface SortedItems<T> extends Iterator<T>, AutoCloseable {
        @Override
        void close();
    }

    private final Comparator<T> order;
    private final Codec<T> codec;
    private final long memoryBytes;
    private final Path directory;
    private final String name;
    private List<T> buffer = new ArrayList<>();
    private long bufferedBytes;
    private final List<Run> runs = new ArrayList<>();
    private long count;
    private long spilledBytes;

    private record Run(Path file, long count) {}

    public ExternalSorter(Comparator<T> order, Codec<T> codec, long memoryBytes, Path directory, String name) {
        this.order = order;
        this.codec = codec;
        this.memoryBytes = Math.max(1, memoryBytes);
        this.directory = directory;
        this.name = name;
    }

    public synchronized void add(T item) {
        buffer.add(item);
        count++;
        bufferedBytes += codec.estimatedBytes(item);
        if (bufferedBytes >= memoryBytes) {
            spill();
        }
    }

    public synchronized long count() {
        return count;
    }

    /** Bytes written to run files so far (merge passes included). */
    public synchronized long spilledBytes() {
        return spilledBytes;
    }

    public synchronized int runCount() {
        return runs.size();
    }

    private void spill() {
        buffer.sort(order);
        runs.add(writeRun(buffer.iterator(), buffer.size()));
        buffer = new ArrayList<>();
        bufferedBytes = 0;
    }

    private Run writeRun(Iterator<T> items, long expected) {
        Path file = directory.resolve(name + "-" + RUN_IDS.incrementAndGet() + ".run");
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES))) {
            long written = 0;
            while (items.hasNext()) {
                codec.write(out, items.next());
                written++;
            }
            if (written != expected) {
                throw new IllegalStateException(
                        "run of " + name + ": wrote " + written + " items, expected " + expected);
            }
            out.flush();
            spilledBytes += Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill to " + file, e);
        }
        return new Run(file, expected);
    }

    /** All items added, in order. */
    public synchronized SortedItems<T> sorted() {
        buffer.sort(order);
        List<T> inMemory = buffer;
        buffer = new ArrayList<>();
        bufferedBytes = 0;
        if (runs.isEmpty()) {
            Iterator<T> items = inMemory.iterator();
            return new SortedItems<>() {
                @Override
                public boolean hasNext() {
                    return items.hasNext();
                }

                @Override
                public T next() {
                    return items.next();
                }

                @Override
                public void close() {}
            };
        }
        while (runs.size() >= FAN_IN) {
            List<Run> group = new ArrayList<>(runs.subList(0, FAN_IN));
            runs.subList(0, FAN_IN).clear();
            long total = group.stream().mapToLong(Run::count).sum();
            try (Merger merged = new Merger(group, List.<T>of().iterator())) {
                runs.add(writeRun(merged, total));
            }
        }
        List<Run> all = new ArrayList<>(runs);
        runs.clear();
        return new Merger(all, inMemory.iterator());
    }

    @Override
    public synchronized void close() {
        buffer = new ArrayList<>();
        for (Run run : runs) {
            deleteQuietly(run.file());
        }
        runs.clear();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // The join deletes its whole spill directory at the end; a file left here goes with it.
        }
    }

    /** A heap merge of runs and one in-memory sorted sequence; deletes the runs when closed. */
    private final class Merger implements SortedItems<T> {
        private final PriorityQueue<Source> heap;
        private final List<RunReader> readers = new ArrayList<>();

        Merger(List<Run> runs, Iterator<T> memory) {
            this.heap = new PriorityQueue<>(runs.size() + 1, (a, b) -> {
                int c = order.compare(a.head, b.head);
                return c != 0 ? c : Integer.compare(a.index, b.index);
            });
            int index = 0;
            try {
                for (Run run : runs) {
                    RunReader reader = new RunReader(run);
                    readers.add(reader);
                    Source source = new Source(reader, index++);
                    if (source.advance()) {
                        heap.add(source);
                    }
                }
            } catch (RuntimeException e) {
                close();
                throw e;
            }
            Source fromMemory = new Source(memory, index);
            if (fromMemory.advance()) {
                heap.add(fromMemory);
            }
        }

        @Override
        public boolean hasNext() {
            return !heap.isEmpty();
        }

        @Override
        public T next() {
            Source source = heap.poll();
            if (source == null) {
                throw new NoSuchElementException();
            }
            T item = source.head;
            if (source.advance()) {
                heap.add(source);
            }
            return item;
        }

        @Override
        public void close() {
            for (RunReader reader : readers) {
                reader.close();
            }
            readers.clear();
            heap.clear();
        }
    }

    private final class Source {
        private final Iterator<T> items;
        private final int index;
        private T head;

        Source(Iterator<T> items, int index) {
            this.items = items;
            this.index = index;
        }

        boolean advance() {
            if (items.hasNext()) {
                head = items.next();
                return true;
            }
            head = null;
            return false;
        }
    }

    private final class RunReader implements Iterator<T> {
        private final Run run;
        private final DataInputStream in;
        private long remaining;

        RunReader(Run run) {
            this.run = run;
            this.remaining = run.count();
            try {
                this.in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run.file()), BUFFER_BYTES));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spilled run " + run.file(), e);
            }
        }

        @Override
        public boolean hasNext() {
            return remaining > 0;
        }

        @Override
        public T next() {
            if (remaining <= 0) {
                throw new NoSuchElementException();
            }
            remaining--;
            try {
                return codec.read(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read spilled run " + run.file(), e);
            }
        }

        void close() {
            try {
                in.close();
            } catch (IOException e) {
                // read-only stream; nothing to lose
            }
            deleteQuietly(run.file());
        }
    }
}
