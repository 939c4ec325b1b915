package dev.basalt.server.session;

import java.io.InputStream;

/**
 * Files on the client's machine, for {@code LOAD DATA LOCAL INFILE}: the protocol layer asks the
 * client for a file and streams its bytes as they arrive. Present on a session only when the client
 * allowed it (MySQL's {@code CLIENT_LOCAL_FILES} capability, e.g. {@code --local-infile=1} or
 * Connector/J's {@code allowLoadLocalInfile=true}).
 *
 * <p>Called on the session's own thread, between receiving a statement and answering it.
 */
public interface LocalFiles {
  /**
   * Asks the client for {@code fileName}. The returned stream ends at the end of the file (empty
   * when the client could not read it); the caller must close it, which discards whatever the
   * client still sends, so that the connection stays in step.
   */
  InputStream open(String fileName);
}
