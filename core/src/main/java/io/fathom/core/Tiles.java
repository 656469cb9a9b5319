package io.fathom.core;

import io.fathom.schemas.avro.FieldAccumulator;
import io.fathom.schemas.avro.Tile;
import java.util.ArrayList;
import java.util.List;

/**
 * The tile list of an entity state, kept sorted by ascending index: lookup by binary search (with a
 * fast path for the newest tile, where nearly every event lands), insertion in order, and pruning
 * of the oldest tiles.
 */
final class Tiles {
    private Tiles() {}

    /** The position of the first tile with {@code index >= target}, or {@code tiles.size()} if none. */
    static int lowerBound(List<Tile> tiles, long target) {
        int low = 0;
        int high = tiles.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (tiles.get(mid).getIndex() < target) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /**
     * The position of the tile with this index if there is one, else {@code -(insertion point) - 1}
     * (as {@link java.util.Collections#binarySearch}). Checks the newest tile first.
     */
    static int search(List<Tile> tiles, long index) {
        int size = tiles.size();
        if (size > 0) {
            long newest = tiles.get(size - 1).getIndex();
            if (newest == index) {
                return size - 1;
            }
            if (newest < index) {
                return -size - 1;
            }
        }
        int position = lowerBound(tiles, index);
        return position < size && tiles.get(position).getIndex() == index ? position : -position - 1;
    }

    /** Inserts an empty tile (with {@code fieldCount} accumulators) at an insertion point from {@link #search}. */
    static Tile insert(List<Tile> tiles, int position, long index, int fieldCount) {
        List<FieldAccumulator> fields = new ArrayList<>(fieldCount);
        for (int i = 0; i < fieldCount; i++) {
            fields.add(Accumulators.empty());
        }
        Tile tile = new Tile(index, 0L, fields);
        tiles.add(position, tile);
        return tile;
    }

    /** Drops the tiles with {@code index < minIndex}. */
    static void dropBefore(List<Tile> tiles, long minIndex) {
        if (tiles.isEmpty() || tiles.get(0).getIndex() >= minIndex) {
            return;
        }
        tiles.subList(0, lowerBound(tiles, minIndex)).clear();
    }
}
