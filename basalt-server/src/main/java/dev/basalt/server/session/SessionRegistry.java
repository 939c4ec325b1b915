package dev.basalt.server.session;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** The live sessions of the server, for connection ids, SHOW PROCESSLIST and KILL. Thread safe. */
public final class SessionRegistry {
  private final AtomicLong nextConnectionId = new AtomicLong(1);
  private final Map<Long, Session> sessions = new ConcurrentHashMap<>();

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
}
