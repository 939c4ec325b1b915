package dev.basalt.server.mysql;

/**
 * One logical client packet: the payload reassembled from as many physical packets as it took, and
 * the sequence id of the last of them (the reply continues from {@code sequenceId + 1}).
 */
record InboundPacket(int sequenceId, byte[] payload) {}
