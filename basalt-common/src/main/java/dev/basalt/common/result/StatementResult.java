package dev.basalt.common.result;

/**
 * What one SQL statement produced: rows ({@link ResultSet}) or a count of affected rows ({@link
 * UpdateCount}). The front doors encode it for their protocol.
 */
public sealed interface StatementResult permits ResultSet, UpdateCount {}
