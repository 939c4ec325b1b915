package dev.basalt.server.engine;

import dev.basalt.server.Version;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * This server as the one front end and the one backend that {@code SHOW FRONTENDS} and {@code SHOW
 * BACKENDS} list, with Doris's columns and the ports actually bound (the Flink and Spark connectors
 * read {@code HttpPort}, {@code QueryPort} and {@code ArrowFlightSqlPort} from them). Ports Basalt
 * does not have (edit log, RPC, heartbeat, Arrow Flight) are -1. Immutable.
 *
 * @param host the address clients reach the server at
 * @param queryPort the MySQL protocol port
 * @param httpPort the HTTP port (Stream Load and REST)
 * @param startTime when the server started, epoch milliseconds
 */
public record ServerNode(String host, int queryPort, int httpPort, long startTime) {
  /** Doris's {@code SHOW FRONTENDS} columns. */
  public static final List<String> FRONTEND_COLUMNS =
      List.of(
          "Name",
          "Host",
          "EditLogPort",
          "HttpPort",
          "QueryPort",
          "RpcPort",
          "ArrowFlightSqlPort",
          "Role",
          "IsMaster",
          "ClusterId",
          "Join",
          "Alive",
          "ReplayedJournalId",
          "LastStartTime",
          "LastHeartbeat",
          "IsHelper",
          "ErrMsg",
          "Version",
          "CurrentConnected");

  /** Doris's {@code SHOW BACKENDS} columns. */
  public static final List<String> BACKEND_COLUMNS =
      List.of(
          "BackendId",
          "Host",
          "HeartbeatPort",
          "BePort",
          "HttpPort",
          "BrpcPort",
          "ArrowFlightSqlPort",
          "LastStartTime",
          "LastHeartbeat",
          "Alive",
          "SystemDecommissioned",
          "TabletNum",
          "DataUsedCapacity",
          "TrashUsedCapacity",
          "AvailCapacity",
          "TotalCapacity",
          "UsedPct",
          "MaxDiskUsedPct",
          "RemoteUsedCapacity",
          "Tag",
          "ErrMsg",
          "Version",
          "Status",
          "HeartbeatFailureCounter",
          "NodeRole");

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

  private static final String VERSION = "basalt-" + Version.BASALT_VERSION;

  /** The {@code SHOW FRONTENDS} row. */
  public Object[] frontendRow() {
    String started = TIME.format(Instant.ofEpochMilli(startTime));
    return new Object[] {
      "basalt_" + host + "_" + queryPort,
      host,
      "-1",
      String.valueOf(httpPort),
      String.valueOf(queryPort),
      "-1",
      "-1",
      "FOLLOWER",
      "true",
      "0",
      "true",
      "true",
      "0",
      started,
      TIME.format(Instant.now()),
      "true",
      "",
      VERSION,
      "Yes"
    };
  }

  /** The {@code SHOW BACKENDS} row; {@code tabletCount} is reported as TabletNum. */
  public Object[] backendRow(long tabletCount) {
    String started = TIME.format(Instant.ofEpochMilli(startTime));
    return new Object[] {
      "1",
      host,
      "-1",
      "-1",
      String.valueOf(httpPort),
      "-1",
      "-1",
      started,
      TIME.format(Instant.now()),
      "true",
      "false",
      String.valueOf(tabletCount),
      "0.000",
      "0.000",
      "0.000",
      "0.000",
      "0.00 %",
      "0.00 %",
      "0.000",
      "{\"location\" : \"default\"}",
      "",
      VERSION,
      "{}",
      "0",
      "mix"
    };
  }
}
