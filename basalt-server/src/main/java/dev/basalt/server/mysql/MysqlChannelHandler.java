package dev.basalt.server.mysql;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty end of a connection: hands decoded packets and channel events to the connection's
 * {@link MysqlConnection}, whose worker thread it starts when the channel becomes active. Runs on
 * the event loop and never blocks.
 */
final class MysqlChannelHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MysqlChannelHandler.class);

  private final MysqlServer server;
  private MysqlConnection connection;

  MysqlChannelHandler(MysqlServer server) {
    this.server = server;
  }

  @Override
  public void channelActive(ChannelHandlerContext context) {
    connection = server.startConnection(context.channel());
    context.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext context, Object message) {
    if (message instanceof InboundPacket packet && connection != null) {
      connection.received(packet);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext context) {
    if (connection != null) {
      connection.closed();
    }
    context.fireChannelInactive();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext context) {
    if (connection != null) {
      connection.writabilityChanged();
    }
    context.fireChannelWritabilityChanged();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
    // Netty passes a decoder's own DecoderException (TooLongFrameException is one) unwrapped.
    TooLongFrameException tooLong =
        cause instanceof TooLongFrameException direct
            ? direct
            : cause instanceof DecoderException && cause.getCause() instanceof TooLongFrameException
                ? (TooLongFrameException) cause.getCause()
                : null;
    if (tooLong != null) {
      LOG.warn(
          "closing connection from {}: {}",
          context.channel().remoteAddress(),
          tooLong.getMessage());
      context.channel().config().setAutoRead(false);
      if (connection != null) {
        connection.packetTooLarge();
      } else {
        context.close();
      }
      return;
    }
    if (cause instanceof IOException) {
      LOG.debug(
          "connection from {} failed: {}", context.channel().remoteAddress(), cause.toString());
    } else {
      LOG.warn("connection from {} failed", context.channel().remoteAddress(), cause);
    }
    context.close();
  }
}
