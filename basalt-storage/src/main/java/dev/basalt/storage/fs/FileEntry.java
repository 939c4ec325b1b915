package dev.basalt.storage.fs;

/**
 * A committed file as {@link FileSystem#list} reports it.
 *
 * @param path the file's path relative to the file system's root
 * @param length its size in bytes
 */
public record FileEntry(String path, long length) {}
