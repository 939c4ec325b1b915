package dev.basalt.server.mysql;

/**
 * Constants of the MySQL client/server protocol that Basalt speaks: capability flags, status flags,
 * command bytes, column types and column flags. Names follow the MySQL documentation.
 */
final class MysqlProtocol {
  private MysqlProtocol() {}

  // Capability flags.
  static final int CLIENT_LONG_PASSWORD = 1;
  static final int CLIENT_LONG_FLAG = 1 << 2;
  static final int CLIENT_CONNECT_WITH_DB = 1 << 3;
  static final int CLIENT_LOCAL_FILES = 1 << 7;
  static final int CLIENT_PROTOCOL_41 = 1 << 9;
  static final int CLIENT_SSL = 1 << 11;
  static final int CLIENT_TRANSACTIONS = 1 << 13;
  static final int CLIENT_SECURE_CONNECTION = 1 << 15;
  static final int CLIENT_MULTI_STATEMENTS = 1 << 16;
  static final int CLIENT_MULTI_RESULTS = 1 << 17;
  static final int CLIENT_PS_MULTI_RESULTS = 1 << 18;
  static final int CLIENT_PLUGIN_AUTH = 1 << 19;
  static final int CLIENT_CONNECT_ATTRS = 1 << 20;
  static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 1 << 21;
  static final int CLIENT_DEPRECATE_EOF = 1 << 24;

  /**
   * What Basalt advertises: Doris's default set ({@code MysqlCapability.DEFAULT_CAPABILITY}) plus
   * multi statements / multi results (the handler returns one result per statement), length-encoded
   * auth data and connect attributes (parsed and ignored), and transactions (status flags in OK).
   * Not advertised: SSL and DEPRECATE_EOF (classic EOF packets are sent), and {@link
   * #CLIENT_LONG_PASSWORD}: a server without it announces MariaDB's extended capabilities ({@link
   * #MARIADB_CAPABILITIES}) in the handshake's filler, which is how MariaDB's drivers learn that
   * they may send {@link #COM_STMT_BULK_EXECUTE}. MySQL's clients assume the flag since 4.1 and do
   * not read it.
   */
  static final int SERVER_CAPABILITIES =
      CLIENT_LONG_FLAG
          | CLIENT_CONNECT_WITH_DB
          | CLIENT_LOCAL_FILES
          | CLIENT_PROTOCOL_41
          | CLIENT_TRANSACTIONS
          | CLIENT_SECURE_CONNECTION
          | CLIENT_MULTI_STATEMENTS
          | CLIENT_MULTI_RESULTS
          | CLIENT_PS_MULTI_RESULTS
          | CLIENT_PLUGIN_AUTH
          | CLIENT_CONNECT_ATTRS
          | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;

  /**
   * MariaDB's capability bits above the 32 of MySQL (its {@code
   * MARIADB_CLIENT_STMT_BULK_OPERATIONS}, bit 34 of the 64), sent in the last 4 bytes of the
   * handshake's 10-byte filler by a server that does not set {@link #CLIENT_LONG_PASSWORD}.
   */
  static final int MARIADB_STMT_BULK_OPERATIONS = 1 << 2;

  /** The MariaDB capabilities Basalt advertises: bulk execution of a prepared statement. */
  static final int MARIADB_CAPABILITIES = MARIADB_STMT_BULK_OPERATIONS;

  /**
   * The most placeholders a prepared statement may have: the prepare answer counts them in 2 bytes.
   */
  static final int MAX_PLACEHOLDERS = 0xFFFF;

  // Server status flags.
  static final int SERVER_STATUS_AUTOCOMMIT = 0x0002;
  static final int SERVER_MORE_RESULTS_EXISTS = 0x0008;

  // Commands.
  static final int COM_SLEEP = 0x00;
  static final int COM_QUIT = 0x01;
  static final int COM_INIT_DB = 0x02;
  static final int COM_QUERY = 0x03;
  static final int COM_FIELD_LIST = 0x04;
  static final int COM_STATISTICS = 0x09;
  static final int COM_PROCESS_KILL = 0x0c;
  static final int COM_CHANGE_USER = 0x11;
  static final int COM_RESET_CONNECTION = 0x1f;
  static final int COM_PING = 0x0e;
  static final int COM_STMT_PREPARE = 0x16;
  static final int COM_STMT_EXECUTE = 0x17;
  static final int COM_STMT_SEND_LONG_DATA = 0x18;
  static final int COM_STMT_CLOSE = 0x19;
  static final int COM_STMT_RESET = 0x1a;
  static final int COM_SET_OPTION = 0x1b;

  /**
   * MariaDB's bulk execution of a prepared statement: the statement id, flags ({@link
   * #BULK_SEND_TYPES_TO_SERVER}, {@link #BULK_SEND_UNIT_RESULTS}), the parameters' types when sent,
   * then parameter sets until the packet ends, each value after an indicator byte ({@link
   * #BULK_VALUE}, {@link #BULK_NULL}, {@link #BULK_DEFAULT}, {@link #BULK_IGNORE}).
   */
  static final int COM_STMT_BULK_EXECUTE = 0xfa;

  static final int BULK_SEND_UNIT_RESULTS = 64;
  static final int BULK_SEND_TYPES_TO_SERVER = 128;
  static final int BULK_VALUE = 0;
  static final int BULK_NULL = 1;
  static final int BULK_DEFAULT = 2;
  static final int BULK_IGNORE = 3;

  private static final String[] COMMAND_NAMES = {
    "COM_SLEEP",
    "COM_QUIT",
    "COM_INIT_DB",
    "COM_QUERY",
    "COM_FIELD_LIST",
    "COM_CREATE_DB",
    "COM_DROP_DB",
    "COM_REFRESH",
    "COM_SHUTDOWN",
    "COM_STATISTICS",
    "COM_PROCESS_INFO",
    "COM_CONNECT",
    "COM_PROCESS_KILL",
    "COM_DEBUG",
    "COM_PING",
    "COM_TIME",
    "COM_DELAYED_INSERT",
    "COM_CHANGE_USER",
    "COM_BINLOG_DUMP",
    "COM_TABLE_DUMP",
    "COM_CONNECT_OUT",
    "COM_REGISTER_SLAVE",
    "COM_STMT_PREPARE",
    "COM_STMT_EXECUTE",
    "COM_STMT_SEND_LONG_DATA",
    "COM_STMT_CLOSE",
    "COM_STMT_RESET",
    "COM_SET_OPTION",
    "COM_STMT_FETCH",
    "COM_DAEMON",
    "COM_BINLOG_DUMP_GTID",
    "COM_RESET_CONNECTION"
  };

  /** The documented name of a command byte, e.g. {@code COM_CHANGE_USER}. */
  static String commandName(int command) {
    if (command == COM_STMT_BULK_EXECUTE) {
      return "COM_STMT_BULK_EXECUTE";
    }
    return command >= 0 && command < COMMAND_NAMES.length
        ? COMMAND_NAMES[command]
        : String.format("COM_UNKNOWN_0x%02x", command);
  }

  // Column types.
  static final int TYPE_DECIMAL = 0x00;
  static final int TYPE_TINY = 0x01;
  static final int TYPE_SHORT = 0x02;
  static final int TYPE_LONG = 0x03;
  static final int TYPE_FLOAT = 0x04;
  static final int TYPE_DOUBLE = 0x05;
  static final int TYPE_NULL = 0x06;
  static final int TYPE_TIMESTAMP = 0x07;
  static final int TYPE_LONGLONG = 0x08;
  static final int TYPE_INT24 = 0x09;
  static final int TYPE_DATE = 0x0a;
  static final int TYPE_TIME = 0x0b;
  static final int TYPE_DATETIME = 0x0c;
  static final int TYPE_YEAR = 0x0d;
  static final int TYPE_NEWDATE = 0x0e;
  static final int TYPE_VARCHAR = 0x0f;
  static final int TYPE_BIT = 0x10;
  static final int TYPE_TIMESTAMP2 = 0x11;
  static final int TYPE_DATETIME2 = 0x12;
  static final int TYPE_TIME2 = 0x13;
  static final int TYPE_JSON = 0xf5;
  static final int TYPE_NEWDECIMAL = 0xf6;
  static final int TYPE_ENUM = 0xf7;
  static final int TYPE_SET = 0xf8;
  static final int TYPE_TINY_BLOB = 0xf9;
  static final int TYPE_MEDIUM_BLOB = 0xfa;
  static final int TYPE_LONG_BLOB = 0xfb;
  static final int TYPE_BLOB = 0xfc;
  static final int TYPE_VAR_STRING = 0xfd;
  static final int TYPE_STRING = 0xfe;
  static final int TYPE_GEOMETRY = 0xff;

  // Column flags.
  static final int FLAG_NOT_NULL = 1;
  static final int FLAG_UNSIGNED = 32;
  static final int FLAG_BINARY = 128;
  static final int FLAG_NUM = 32768;

  /** utf8_general_ci, what Doris reports for the connection and for string columns. */
  static final int CHARSET_UTF8_GENERAL_CI = 33;

  /** The {@code binary} pseudo charset of numbers and dates. */
  static final int CHARSET_BINARY = 63;

  static final String NATIVE_PASSWORD_PLUGIN = "mysql_native_password";

  /** The largest payload of one physical packet; longer payloads continue in the next packet. */
  static final int MAX_PACKET_PAYLOAD = 0xFFFFFF;
}
