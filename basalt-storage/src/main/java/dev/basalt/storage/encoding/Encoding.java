package dev.basalt.storage.encoding;

/**
 * How the non-null values of one page are laid out before compression; chosen per page by the
 * writer and recorded in the page header. Byte layouts are in docs/format.md. The {@link #id()}
 * must never change for an existing constant.
 */
public enum Encoding {
  /** Every value at its full stored width; strings as lengths then bytes. Valid for every type. */
  PLAIN(0),
  /**
   * INT64, and INT128 pages whose values all fit in 64 bits: the minimum, then every value minus
   * the minimum, bit-packed.
   */
  FRAME_OF_REFERENCE(1),
  /**
   * INT64 only: the first value, then differences between neighbours (minus their minimum),
   * bit-packed.
   */
  DELTA(2),
  /** BINARY only: the distinct values once, then a bit-packed code per value. */
  DICTIONARY(3);

  private final int id;

  Encoding(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  public static Encoding fromId(int id) {
    for (Encoding encoding : values()) {
      if (encoding.id == id) {
        return encoding;
      }
    }
    throw new FormatException("unknown encoding id " + id);
  }

  /** Whether this encoding can represent values stored as {@code storageType}. */
  public boolean supports(StorageType storageType) {
    return switch (this) {
      case PLAIN -> true;
      case FRAME_OF_REFERENCE ->
          storageType == StorageType.INT64 || storageType == StorageType.INT128;
      case DELTA -> storageType == StorageType.INT64;
      case DICTIONARY -> storageType == StorageType.BINARY;
    };
  }
}
