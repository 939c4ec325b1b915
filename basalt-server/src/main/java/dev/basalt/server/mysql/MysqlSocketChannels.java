package dev.basalt.server.mysql;

import io.netty.channel.Channel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's NIO channels, with the accepted socket's {@link SocketChannel} open to {@link
 * PacketOutput}: a connection's worker writes its answer to the socket itself when nothing of the
 * connection waits in Netty, instead of handing the bytes to the event loop, which costs a selector
 * wake-up (a system call on each side, a task hand-off) per answer (docs/benchmarks.md, "JDBC
 * batches: literals from the packet, answers without an event-loop wake-up").
 */
final class MysqlSocketChannels {
  private MysqlSocketChannels() {}

  /** The listening channel: accepts as Netty's does, into {@link Connection}s. */
  static final class Server extends NioServerSocketChannel {
    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    @Override
    protected int doReadMessages(List<Object> accepted) throws Exception {
      SocketChannel socket = javaChannel().accept();
      if (socket == null) {
        return 0;
      }
      try {
        accepted.add(new Connection(this, socket));
        return 1;
      } catch (RuntimeException failure) {
        LOG.warn("cannot set up an accepted connection", failure);
        socket.close();
        return 0;
      }
    }
  }

  /** An accepted connection's channel. */
  static final class Connection extends NioSocketChannel {
    Connection(Channel parent, SocketChannel socket) {
      super(parent, socket);
    }

    /**
     * The socket, non-blocking. Writing to it from another thread than the event loop is safe only
     * while the event loop writes nothing to it (its outbound buffer is empty and stays so): {@link
     * PacketOutput} keeps to that.
     */
    SocketChannel socket() {
      return javaChannel();
    }
  }
}
