package dev.basalt.server.mysql;

/**
 * One logical client packet: the payload reassembled from as many physical packets as it took, the
 * sequence id of the last of them (the reply continues from {@code sequenceId + 1}) and when its
 * last byte was decoded ({@link System#nanoTime()}, the start of the command's time in {@link
 * CommandLatencies}).
 */
record InboundPacket(int sequenceId, byte[] payload, long receivedNanos) {}
