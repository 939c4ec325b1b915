package dev.basalt.meta.store;

import java.util.List;

/**
 * One commit of a shared {@link MetaStore} as its change log records it: the commit's place in the
 * store's commit order and the keys it put or deleted.
 *
 * @param sequence the commit's number; commits are numbered 1, 2, 3... in the order they became
 *     visible, with no gaps
 * @param keys the keys the commit put or deleted, in no particular order
 */
public record StoreChange(long sequence, List<String> keys) {
  public StoreChange {
    keys = List.copyOf(keys);
  }
}
