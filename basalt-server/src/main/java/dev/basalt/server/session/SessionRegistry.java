package dev.basalt.server.session;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live sessions of the server, for connection ids, SHOW PROCESSLIST and KILL. Thread safe. */
public final class SessionRegistry {
  private final AtomicLong nextConnectionId = new AtomicLong(1);
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();
  private final AtomicLong questions = new AtomicLong();

  public long nextConnectionId() {
    return nextConnectionId.getAndIncrement();
  }

  public void register(Session session) {
    sessions.put(session.connectionId(), session);
  }

  public void unregister(Session session) {
    sessions.remove(session.connectionId());
  }

  public Collection<Session> sessions() {
    return sessions.values();
  }

  /** Counts one statement received from a client (MySQL's {@code Questions}). */
  public void countQuestion() {
    questions.incrementAndGet();
  }

  /** Statements received from clients since the server started. */
  public long questions() {
    return questions.get();
  }

  /** The session of a connection id, or {@code null} when there is none. */
  public Session session(long connectionId) {
    return sessions.get(connectionId);
  }
}
