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
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Sorts more items than fit in memory: a textbook external merge sort (Knuth, TAOCP vol. 3, 5.4.1).
 * Items accumulate in memory in a {@link Buffer} up to a byte budget (estimated); a full buffer is sorted and
 * spilled to a run file; {@link #sorted()} merges the runs and the last buffer with a heap, in passes of at
 * most {@value #FAN_IN} runs. With everything in memory nothing touches the disk. {@link #add} is
 * thread-safe and holds the sorter's lock only to append: a full buffer is sorted and written by the thread
 * that filled it, outside the lock, while other threads go on adding; {@link #sorted()} is called once,
 * after the last add.
 *
 * <p><b>Memory</b>: sorters may share one {@link Budget}: a sorter spills when the bytes held by all of them
 * reach the budget's limit and it holds at least the budget's minimum itself, so the memory goes to whichever
 * sorters are filling (the join's item sorters while it scans, its results while it merges) rather than being
 * split up front. Growth is reserved a step at a time (the budget is one counter shared by every thread);
 * bytes are released when spilled, and when the sorted items are closed.
 *
 * <p><b>Buffers</b>: the plain one ({@link #listBuffer}) keeps the items in a list and sorts it with the
 * comparator (TimSort). A buffer may hold its items in a more compact form than objects and sort them its own
 * way, as long as it hands them out in the sorter's order (the join's: {@link JoinBuffers}).
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

    /** An iterator over the sorted items that releases its files (and its memory in the budget) when closed. */
    public interface SortedItems<T> extends Iterator<T>, AutoCloseable {
        @Override
        void close();
    }

    /**
     * Heap that several sorters share: a sorter spills to disk when all of them together hold {@code
     * limitBytes} or more and it holds at least {@code minSpillBytes} itself (so that tiny buffers are not
     * spilled one item at a time). Thread-safe.
     */
    public static final class Budget {
        private final long limitBytes;
        private final long minSpillBytes;
        /** Growth a sorter may leave unreserved: a 64th of the limit, at most 64 KiB. */
        private final long step;

        private final AtomicLong used = new AtomicLong();

        public Budget(long limitBytes, long minSpillBytes) {
            this.limitBytes = Math.max(1, limitBytes);
            this.minSpillBytes = Math.max(0, minSpillBytes);
            this.step = Math.max(1, Math.min(64 * 1024, this.limitBytes / 64));
        }

        /** Bytes held by the sorters sharing this budget. */
        public long used() {
            return used.get();
        }

        /** Adds bytes; whether a sorter holding {@code heldBySorter} should now spill to disk. */
        private boolean reserve(long bytes, long heldBySorter) {
            return used.addAndGet(bytes) >= limitBytes && heldBySorter >= minSpillBytes;
        }

        private void release(long bytes) {
            used.addAndGet(-bytes);
        }
    }

    /**
     * Where a sorter holds items before they are sorted. Called under the sorter's lock until handed to
     * {@link #sorted()}, which is called once, outside it.
     */
    public interface Buffer<T> {
        void add(T item);

        /** Items added. */
        long size();

        /** Estimated heap held, object headers and spare capacity included. */
        long bytes();

        /** The items in the sorter's order. */
        Iterator<T> sorted();
    }

    /** The plain buffer: a list of the items, sorted by {@code order}. */
    public static <T> Buffer<T> listBuffer(Comparator<T> order, Codec<T> codec) {
        return new ListBuffer<>(order, codec);
    }

    private static final class ListBuffer<T> implements Buffer<T> {
        private final Comparator<T> order;
        private final Codec<T> codec;
        private final List<T> items = new ArrayList<>();
        private long bytes;

        ListBuffer(Comparator<T> order, Codec<T> codec) {
            this.order = order;
            this.codec = codec;
        }

        @Override
        public void add(T item) {
            items.add(item);
            bytes += codec.estimatedBytes(item) + 4;
        }

        @Override
        public long size() {
            return items.size();
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public Iterator<T> sorted() {
            items.sort(order);
            return items.iterator();
        }
    }

    /**
     * What a sorter sorts: the items' order, how they spill ({@code codec}), and the buffers that hold them in
     * memory, which hand them out in {@code order}.
     */
    public record Kind<T>(Comparator<T> order, Codec<T> codec, Supplier<Buffer<T>> buffers) {
        /** Items kept in the plain buffer ({@link #listBuffer}). */
        public static <T> Kind<T> listed(Comparator<T> order, Codec<T> codec) {
            return new Kind<>(order, codec, () -> listBuffer(order, codec));
        }
    }

    private final Kind<T> kind;
    private final Budget budget;
    private final Path directory;
    private final String name;
    private Buffer<T> buffer;
    /** The buffer's bytes as last reserved in the budget. */
    private long bufferedBytes;

    private final List<Run> runs = new ArrayList<>();
    private long count;
    private long spilledBytes;
    private int spilling;

    private record Run(Path file, long count, long bytes) {}

    /** A sorter with a budget of its own: it spills its buffer whenever it holds {@code memoryBytes}. */
    public ExternalSorter(Kind<T> kind, long memoryBytes, Path directory, String name) {
        this(kind, new Budget(memoryBytes, 0), directory, name);
    }

    /** A sorter sharing {@code budget}. */
    public ExternalSorter(Kind<T> kind, Budget budget, Path directory, String name) {
        this.kind = kind;
        this.budget = budget;
        this.directory = directory;
        this.name = name;
        this.buffer = kind.buffers().get();
    }

    public void add(T item) {
        Buffer<T> full;
        long fullBytes;
        synchronized (this) {
            buffer.add(item);
            count++;
            if (!mustSpill()) {
                return;
            }
            full = buffer;
            fullBytes = takeBuffer();
        }
        spill(full, fullBytes);
    }

    /** Adds items (one lock for all of them). */
    public void addAll(List<T> items) {
        Buffer<T> full;
        long fullBytes;
        synchronized (this) {
            for (T item : items) {
                buffer.add(item);
            }
            count += items.size();
            if (!mustSpill()) {
                return;
            }
            full = buffer;
            fullBytes = takeBuffer();
        }
        spill(full, fullBytes);
    }

    /** Reserves the buffer's growth (a step at a time); whether it must be spilled. Called holding the lock. */
    private boolean mustSpill() {
        long grown = buffer.bytes() - bufferedBytes;
        if (grown < budget.step) {
            return false;
        }
        bufferedBytes += grown;
        return budget.reserve(grown, bufferedBytes);
    }

    /** Starts a new buffer, the full one going to a spill; returns its reserved bytes. Called holding the lock. */
    private long takeBuffer() {
        long bytes = bufferedBytes;
        buffer = kind.buffers().get();
        bufferedBytes = 0;
        spilling++;
        return bytes;
    }

    /** Sorts and writes a full buffer, without the lock. */
    private void spill(Buffer<T> full, long fullBytes) {
        try {
            Run run = writeRun(full.sorted(), full.size());
            synchronized (this) {
                runs.add(run);
                spilledBytes += run.bytes();
            }
        } finally {
            budget.release(fullBytes);
            synchronized (this) {
                spilling--;
                notifyAll();
            }
        }
    }

    public synchronized long count() {
        return count;
    }

    /** Bytes written to run files so far (merge passes included). */
    public synchronized long spilledBytes() {
        return spilledBytes;
    }

    /** Sorted runs on disk. */
    public synchronized int runCount() {
        return runs.size();
    }

    private Path newRunFile() {
        return directory.resolve(name + "-" + RUN_IDS.incrementAndGet() + ".run");
    }

    private Run writeRun(Iterator<T> items, long expected) {
        Path file = newRunFile();
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), BUFFER_BYTES))) {
            long written = 0;
            while (items.hasNext()) {
                kind.codec().write(out, items.next());
                written++;
            }
            if (written != expected) {
                throw new IllegalStateException(
                        "run of " + name + ": wrote " + written + " items, expected " + expected);
            }
            out.flush();
            return new Run(file, expected, Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot spill to " + file, e);
        }
    }

    /** All items added, in order. */
    public synchronized SortedItems<T> sorted() {
        awaitSpills();
        Iterator<T> inMemory = buffer.sorted();
        long heldBytes = bufferedBytes;
        buffer = kind.buffers().get();
        bufferedBytes = 0;
        if (runs.isEmpty()) {
            return new SortedItems<>() {
                private boolean released;

                @Override
                public boolean hasNext() {
                    return inMemory.hasNext();
                }

                @Override
                public T next() {
                    return inMemory.next();
                }

                @Override
                public void close() {
                    if (!released) {
                        released = true;
                        budget.release(heldBytes);
                    }
                }
            };
        }
        while (runs.size() >= FAN_IN) {
            List<Run> group = new ArrayList<>(runs.subList(0, FAN_IN));
            runs.subList(0, FAN_IN).clear();
            long total = group.stream().mapToLong(Run::count).sum();
            try (Merger merged = new Merger(group, List.<T>of().iterator(), 0)) {
                Run run = writeRun(merged, total);
                runs.add(run);
                spilledBytes += run.bytes();
            }
        }
        List<Run> all = new ArrayList<>(runs);
        runs.clear();
        return new Merger(all, inMemory, heldBytes);
    }

    private void awaitSpills() {
        boolean interrupted = false;
        while (spilling > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public synchronized void close() {
        awaitSpills();
        budget.release(bufferedBytes);
        bufferedBytes = 0;
        buffer = kind.buffers().get();
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

    /** A heap merge of runs and one in-memory sorted sequence; deletes the runs and releases the memory when closed. */
    private final class Merger implements SortedItems<T> {
        private final PriorityQueue<Source> heap;
        private final List<RunReader> readers = new ArrayList<>();
        private long heldBytes;

        Merger(List<Run> runs, Iterator<T> memory, long heldBytes) {
            this.heldBytes = heldBytes;
            this.heap = new PriorityQueue<>(runs.size() + 1, (a, b) -> {
                int c = kind.order().compare(a.head, b.head);
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
            budget.release(heldBytes);
            heldBytes = 0;
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
                return kind.codec().read(in);
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
