package dev.basalt.server.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * One Stream Load request ({@code _stream_load} or {@code _stream_load_2pc}) and its answer, as
 * {@link StreamLoadEndpoint#serve} sees it, whichever front door read it: Jetty ({@link
 * StreamLoadEndpoint#handle}) or a kept-alive connection read on its own thread ({@link
 * KeptAliveLoadConnection}).
 *
 * <p>Call order: any of the getters, {@link #body()} at most once, then {@link #reply} exactly
 * once. Not thread safe: one request thread uses it.
 */
interface LoadExchange {

  /** The request's method, e.g. {@code PUT}. */
  String method();

  /**
   * The request's headers by lower-case name (the first of repeated ones), as {@link
   * dev.basalt.load.streamload.StreamLoadOptions#parse} wants them; not to be modified.
   */
  Map<String, String> headers();

  /** The client's IP address, e.g. {@code 127.0.0.1}. */
  String clientHost();

  /** The host and port the client addressed ({@code host:port}), for a load's {@code ErrorURL}. */
  String serverAuthority();

  /** The body's length in bytes from {@code Content-Length}, or -1 when not known. */
  long contentLength();

  /**
   * The body as it arrives; the caller closes it. A body that ends before its {@code
   * Content-Length} throws an {@link IOException} when read.
   */
  InputStream body() throws IOException;

  /**
   * Sends the answer: {@code status}, {@code Content-Type: application/json; charset=utf-8} and
   * {@code json}, with one more header when {@code headerName} is not null (e.g. {@code Allow} or
   * {@code WWW-Authenticate}).
   */
  void reply(int status, String headerName, String headerValue, String json);
}
