package dev.basalt.server;

/** Version strings Basalt reports. */
public final class Version {
  /** Basalt's own version. */
  public static final String BASALT_VERSION = "0.1.0";

  /** What the MySQL handshake and {@code version()} report: MySQL 5.7 compatible, as Doris does. */
  public static final String MYSQL_SERVER_VERSION = "5.7.99";

  /** {@code @@version_comment}, shown by the mysql client's banner. */
  public static final String VERSION_COMMENT = "Basalt version basalt-" + BASALT_VERSION;

  private Version() {}
}
