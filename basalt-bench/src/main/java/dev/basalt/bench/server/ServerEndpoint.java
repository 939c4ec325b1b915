package dev.basalt.bench.server;

/**
 * Where a MySQL-protocol server under test listens.
 *
 * @param host the host name or address
 * @param queryPort the MySQL protocol port
 * @param httpPort the HTTP port (Stream Load), or 0 when unknown
 */
public record ServerEndpoint(String host, int queryPort, int httpPort) {

  /**
   * A MySQL Connector/J URL for this endpoint.
   *
   * @param database the default database, or empty for none
   * @param extraProperties extra {@code key=value&...} properties, or empty
   */
  public String jdbcUrl(String database, String extraProperties) {
    return "jdbc:mysql://"
        + host
        + ":"
        + queryPort
        + "/"
        + database
        + "?useSSL=false&allowPublicKeyRetrieval=true&connectTimeout=10000"
        + (extraProperties.isEmpty() ? "" : "&" + extraProperties);
  }

  /**
   * A MariaDB Connector/J URL for this endpoint (it sends a prepared INSERT's batch as one
   * COM_STMT_BULK_EXECUTE, with its default {@code useBulkStmtsForInserts}).
   *
   * @param database the default database, or empty for none
   * @param extraProperties extra {@code key=value&...} properties, or empty
   */
  public String mariadbUrl(String database, String extraProperties) {
    return "jdbc:mariadb://"
        + host
        + ":"
        + queryPort
        + "/"
        + database
        + "?connectTimeout=10000"
        + (extraProperties.isEmpty() ? "" : "&" + extraProperties);
  }

  /** The base of HTTP URLs, e.g. {@code http://127.0.0.1:8030}. */
  public String httpBase() {
    return "http://" + host + ":" + httpPort;
  }
}
