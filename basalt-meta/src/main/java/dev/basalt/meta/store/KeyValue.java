package dev.basalt.meta.store;

/**
 * One entry of a {@link MetaStore} scan. The value array belongs to the receiver.
 *
 * @param key the entry's key
 * @param value the entry's value
 */
public record KeyValue(String key, byte[] value) {}
