package dev.basalt.storage.segment;

/**
 * Bounds of the values of a page or a whole column, for pruning before decoding. Values are in the
 * boxed representation of {@code dev.basalt.common.vector.Values}.
 *
 * <p>{@code min} and {@code max} bound every non-null value: {@code min <= v <= max}. They are
 * {@code null} when there is no non-null value, and {@code max} is also {@code null} (unbounded)
 * when the largest string is longer than {@value SegmentFormat#MAX_ZONE_MAP_STRING_BYTES} bytes;
 * the {@code min} of such strings is then a prefix (still a lower bound). Ordering: signed for
 * integers, dates and decimals; {@link Double#compare} for FLOAT/DOUBLE ({@code -0.0 < 0.0}, NaN
 * above +infinity); unsigned UTF-8 bytes (code point order, not {@link String#compareTo}) for
 * strings; {@code false < true}.
 *
 * @param min the lower bound, or {@code null}
 * @param max the upper bound, or {@code null}
 * @param nullCount the exact number of NULL rows
 */
public record ZoneMap(Object min, Object max, long nullCount) {}
