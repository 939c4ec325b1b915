/**
 * The MySQL wire protocol front door (Doris's port 9030).
 *
 * <p>Data flows: {@link dev.basalt.server.mysql.MysqlServer} accepts a TCP connection (Netty NIO);
 * {@code PacketDecoder} joins physical packets into logical ones on the event loop; {@code
 * MysqlChannelHandler} queues them for the connection's {@code MysqlConnection}, whose own virtual
 * thread sends the handshake, authenticates ({@link dev.basalt.server.mysql.NativePassword}, with
 * an AuthSwitchRequest for other plugins) and then runs one command at a time: SQL goes to the
 * {@link dev.basalt.server.session.QueryHandler}, prepared statements are rendered to SQL text by
 * {@code StatementTemplate} and {@code ParameterLiterals}, and {@code ResultWriter} encodes OK /
 * ERR / result sets (text or binary rows, column types from {@code MysqlColumnType}) through {@code
 * PacketOutput}, which frames packets and applies back-pressure.
 */
package dev.basalt.server.mysql;
