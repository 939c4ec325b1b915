package dev.basalt.sql.parser;

/**
 * {@code 'user'@'host'}; the host is {@code %} when omitted.
 *
 * @param user the user name
 * @param host the host pattern
 */
public record UserIdentity(String user, String host) {}
