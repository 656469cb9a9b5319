package io.fathom.offline.internal;

import java.util.ArrayList;
import java.util.List;

/**
 * A set membership test with no false negatives and about 2% false positives, for entity keys: which
 * snapshots can matter to the entity rows at all. A scalable Bloom filter (Almeida et al., "Scalable
 * Bloom Filters", 2007): a chain of Bloom filters, each twice the capacity of the last and with two more
 * bits per key (so each has about 60% of the false-positive rate of the one before, and the chain's
 * rate stays bounded), so the number of keys need not be known in advance. The hash functions come by
 * double hashing of one 64-bit hash
 * (Kirsch and Mitzenmacher, "Less Hashing, Same Performance", 2006). {@link #add} is single-threaded;
 * {@link #mightContain} may be called from many threads once adding is done.
 */
public final class KeyFilter {
    private static final int FIRST_BITS_PER_KEY = 10;
    private static final long MAX_BITS = 1L << 31;

    private final List<Bloom> blooms = new ArrayList<>();

    public KeyFilter(long initialCapacity) {
        blooms.add(new Bloom(Math.max(1024, initialCapacity), FIRST_BITS_PER_KEY));
    }

    public void add(String key) {
        long hash = hash(key);
        Bloom last = blooms.get(blooms.size() - 1);
        if (last.mightContain(hash)) {
            return;
        }
        if (last.size >= last.capacity) {
            last = new Bloom(last.capacity * 2, last.bitsPerKey + 2);
            blooms.add(last);
        }
        last.add(hash);
    }

    public boolean mightContain(String key) {
        long hash = hash(key);
        for (Bloom bloom : blooms) {
            if (bloom.mightContain(hash)) {
                return true;
            }
        }
        return false;
    }

    /** A 64-bit hash of the key's characters (FNV-1a, finished with MurmurHash3's fmix64). */
    static long hash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static final class Bloom {
        final long capacity;
        final int bitsPerKey;
        final int hashes;
        final long bits;
        final long[] words;
        long size;

        Bloom(long capacity, int bitsPerKey) {
            this.capacity = capacity;
            this.bitsPerKey = bitsPerKey;
            this.hashes = Math.max(1, (int) Math.round(bitsPerKey * Math.log(2)));
            this.bits = Math.min(MAX_BITS, Math.max(64, capacity * bitsPerKey));
            this.words = new long[(int) ((bits + 63) / 64)];
        }

        void add(long hash) {
            int h1 = (int) hash;
            int h2 = (int) (hash >>> 32);
            for (int i = 0; i < hashes; i++) {
                long bit = Math.floorMod(h1 + (long) i * h2, bits);
                words[(int) (bit >>> 6)] |= 1L << bit;
            }
            size++;
        }

        boolean mightContain(long hash) {
            int h1 = (int) hash;
            int h2 = (int) (hash >>> 32);
            for (int i = 0; i < hashes; i++) {
                long bit = Math.floorMod(h1 + (long) i * h2, bits);
                if ((words[(int) (bit >>> 6)] & (1L << bit)) == 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
