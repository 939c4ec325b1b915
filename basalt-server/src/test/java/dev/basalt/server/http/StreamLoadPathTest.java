package dev.basalt.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The Stream Load paths that {@link StreamLoadEndpoint.LoadPath} recognises, and those it does not.
 */
class StreamLoadPathTest {
  @Test
  void loadAndTwoPhasePathsAreSplitIntoDatabaseAndTable() {
    assertThat(StreamLoadEndpoint.LoadPath.parse("/api/db/t/_stream_load"))
        .isEqualTo(new StreamLoadEndpoint.LoadPath("db", "t", false));
    assertThat(StreamLoadEndpoint.LoadPath.parse("/api/db/_stream_load_2pc"))
        .isEqualTo(new StreamLoadEndpoint.LoadPath("db", null, true));
    assertThat(StreamLoadEndpoint.LoadPath.parse("/api/db/t/_stream_load_2pc"))
        .isEqualTo(new StreamLoadEndpoint.LoadPath("db", "t", true));
    assertThat(StreamLoadEndpoint.LoadPath.parse("/api/d%20b/_stream_load/_stream_load"))
        .isEqualTo(new StreamLoadEndpoint.LoadPath("d%20b", "_stream_load", false));
  }

  @Test
  void otherPathsAreNotLoads() {
    for (String path :
        new String[] {
          "/",
          "/api",
          "/api/",
          "/api/db/_stream_load",
          "/api//t/_stream_load",
          "/api/db//_stream_load",
          "/api/db/t/_stream_load/",
          "/api/db/t/x/_stream_load",
          "/api/db/t/_stream_loads",
          "/api/db/t/_schema",
          "/api/_load_error_log",
          "/api/db/_stream_load_2pcx",
          "/apix/db/t/_stream_load",
        }) {
      assertThat(StreamLoadEndpoint.LoadPath.parse(path)).as(path).isNull();
    }
  }
}
