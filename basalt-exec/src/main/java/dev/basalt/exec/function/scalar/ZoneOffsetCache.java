package dev.basalt.exec.function.scalar;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;

/**
 * The UTC offset of one time zone for the rows of one batch, without a {@code java.time} object per
 * row: it remembers the last span of instants between two transitions of the zone's rules, within
 * which the offset is one number, and asks {@link ZoneRules} again only for a row outside it (a
 * fixed-offset zone has one span). Local times resolve as {@link LocalDateTime#atZone} does (a time
 * in a gap moves forward, one in an overlap takes the earlier offset): a local time whose instant
 * lies more than two days from both ends of the span (farther than any two offsets differ) has
 * exactly one valid offset, the span's; any other goes through {@code atZone}. Not thread safe: one
 * per evaluation.
 */
final class ZoneOffsetCache {
  private static final long MARGIN_SECONDS = 2 * 86_400L;

  private final ZoneId zone;
  private final ZoneRules rules;
  private long from = Long.MAX_VALUE;
  private long to = Long.MIN_VALUE;
  private long offset;

  ZoneOffsetCache(ZoneId zone) {
    this.zone = zone;
    this.rules = zone.getRules();
    if (rules.isFixedOffset()) {
      offset = rules.getOffset(Instant.EPOCH).getTotalSeconds();
      from = Long.MIN_VALUE;
      to = Long.MAX_VALUE;
    }
  }

  /** The offset in seconds at the instant {@code epochSecond}. */
  long offsetAt(long epochSecond) {
    if (epochSecond < from || epochSecond >= to) {
      learn(epochSecond);
    }
    return offset;
  }

  /** The epoch second of the local time {@code localSecond} (seconds since 1970-01-01T00:00). */
  long epochSecondOf(long localSecond) {
    long candidate = localSecond - offset;
    if (candidate - MARGIN_SECONDS >= from && candidate + MARGIN_SECONDS < to) {
      return candidate;
    }
    long epochSecond =
        LocalDateTime.ofEpochSecond(localSecond, 0, ZoneOffset.UTC).atZone(zone).toEpochSecond();
    learn(epochSecond);
    return epochSecond;
  }

  /** Remembers the span of constant offset around {@code epochSecond}. */
  private void learn(long epochSecond) {
    Instant instant = Instant.ofEpochSecond(epochSecond);
    offset = rules.getOffset(instant).getTotalSeconds();
    ZoneOffsetTransition previous = rules.previousTransition(instant);
    ZoneOffsetTransition next = rules.nextTransition(instant);
    // The previous transition bounds the span only when it leads to this offset (otherwise a
    // transition lies exactly at the instant).
    from =
        previous != null
                && previous.toEpochSecond() <= epochSecond
                && previous.getOffsetAfter().getTotalSeconds() == offset
            ? previous.toEpochSecond()
            : epochSecond;
    to = next != null ? next.toEpochSecond() : Long.MAX_VALUE;
  }
}
