package dev.basalt.exec.operator;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.PhysicalType;
import dev.basalt.common.vector.Batch;
import dev.basalt.common.vector.BytesVector;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.common.vector.ColumnVectors;
import dev.basalt.common.vector.DoubleVector;
import dev.basalt.common.vector.LongVector;
import dev.basalt.exec.expression.Expression;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.hash.BytesGroupHashTable;
import dev.basalt.exec.hash.KeySerializer;
import dev.basalt.exec.hash.LongGroupHashTable;
import dev.basalt.exec.hash.LongTupleHashTable;
import dev.basalt.exec.hash.PackedLongKeys;
import dev.basalt.exec.memory.MemoryEstimates;
import dev.basalt.exec.memory.MemoryReservation;
import dev.basalt.exec.memory.QueryMemoryBudget;
import dev.basalt.exec.spill.SpillPartitions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

/**
 * Equi-join by hashing the right input, probing with the left; optional residual condition over the
 * joined row (left columns then right columns). With no keys it is a nested-loop join.
 *
 * <p>A key whose {@code nullMatches} flag is false never matches when NULL (SQL {@code =}); true
 * gives {@code IS NOT DISTINCT FROM}. Outer joins pad the missing side with NULLs; SEMI and ANTI
 * output the left rows that have (have no) accepted match; RIGHT_SEMI and RIGHT_ANTI output, once
 * the left input is exhausted, the right rows that have (have no) accepted match, each once, and
 * skip the candidates of a build row already matched. MARK and NULL_AWARE_ANTI (see {@link
 * JoinType}) decide each probe row's three-valued mark from its accepted pairs, a residual that was
 * NULL for some pair, and, for a row without an equal build row, {@link NullAwareMarks}. DOUBLE
 * keys compare with -0.0 equal to 0.0.
 *
 * <p>Build: the right input is kept as one typed column vector per column, and a hash table maps
 * each distinct key to a key id ({@link LongGroupHashTable} for one non-null-matching fixed-width
 * key, or for several integer keys whose build ranges fit one word together, packed by {@link
 * PackedLongKeys}; {@link LongTupleHashTable} when every key is fixed-width (integers, dates,
 * DOUBLE), with one more word of null flags for keys compared with {@code IS NOT DISTINCT FROM};
 * otherwise {@link BytesGroupHashTable} over {@link KeySerializer} bytes); the build rows of a key
 * id form a chain in insertion order ({@code firstRow}/{@code nextRow} arrays). Key ids are
 * computed a chunk of rows at a time, in loops over one key column after another. Probe: a left
 * batch at a time (its key ids first), candidate pairs are collected into index vectors of at most
 * {@link Batch#DEFAULT_SIZE}, the residual is evaluated on the gathered pairs, and output is
 * gathered from the index vectors. Probing is resumable, so one probe batch that matches many build
 * rows (a cross join) produces output a batch at a time instead of all at once.
 *
 * <p>The build side and its table are reserved in the statement's {@link QueryMemoryBudget}. When
 * the budget refuses them and it has a spill directory, the join becomes a grace hash join: the
 * build rows held so far and the rest of the right input go to {@link SpillPartitions} by the hash
 * of their keys, then the whole left input is partitioned the same way, and each pair of partitions
 * is joined by a new join one level deeper (its own hash seed, so a pair whose build side still
 * does not fit splits again). Rows whose keys can never match (a NULL under {@code =}) still land
 * in some partition and come out there as unmatched rows, so every join type keeps its meaning per
 * pair. Past {@link SpillPartitions#MAX_LEVEL} (one key with more build rows than the memory limit
 * holds) the statement fails with MEM_LIMIT_EXCEEDED. A join without keys (nested loop) does not
 * spill. Pipeline breaker on the right input only. Not thread safe.
 */
public final class HashJoinOperator implements Operator {
  private static final int CHUNK = Batch.DEFAULT_SIZE;
  private static final int NOT_STARTED = -2;
  private static final int NONE = -1;

  private final Operator left;
  private final Operator right;
  private final int[] leftKeys;
  private final int[] rightKeys;
  private final boolean[] nullMatches;

  /**
   * The keys a spilling join partitions both sides by: all of them, except for a MARK or
   * NULL_AWARE_ANTI join with {@code =} keys, whose probe rows may depend on build rows with other
   * values of those keys (a NULL): only its {@code IS NOT DISTINCT FROM} keys (the subquery's
   * correlation values), and without those it does not spill.
   */
  private final int[] leftPartitionKeys;

  private final int[] rightPartitionKeys;

  /**
   * A MARK or NULL_AWARE_ANTI join on one {@code =} key alone (an uncorrelated {@code x [NOT] IN
   * (SELECT y ...)}): it spills by that key, except that its NULL keys stay out of the partitions.
   * A probe row with a NULL key is answered while the probe side is partitioned (NULL, or FALSE
   * when the build side is empty), and in every partition a row without an equal build row is NULL
   * when some build row's key was NULL ({@link #unmatchedAreUnknown}), else FALSE.
   */
  private final boolean spillsByComparedKey;

  /**
   * Every probe row without an accepted match has a NULL mark (see {@link #spillsByComparedKey}).
   */
  private final boolean unmatchedAreUnknown;

  /** The build rows a spilling join partitioned or, by their NULL key, left out. */
  private long spilledBuildRows;

  private boolean spilledBuildHasNullKey;
  private final JoinType joinType;
  private final Expression residual;
  private final EvaluationContext context;
  private final List<DataType> outputTypes;
  private final List<DataType> joinedTypes;
  private final MemoryReservation memory;
  private final QueryMemoryBudget budget;
  private final int level;
  private final SharedBuild shared;

  /** Whether this copy holds {@link SharedBuild}'s turn to join spilled partition pairs. */
  private boolean holdsPartitionTurn;

  private final Deque<Batch> ready = new ArrayDeque<>();

  /** The runtime filters this join publishes, each for one of its keys. */
  private final List<PublishedKey> runtimeFilters = new ArrayList<>();

  /** A runtime filter and the index of the key (in leftKeys / rightKeys) whose values it gets. */
  private record PublishedKey(RuntimeFilter filter, int key) {}

  private boolean built;
  private List<ColumnVector> buildColumns;
  private int buildRowCount;
  private LongGroupHashTable longTable;
  private LongTupleHashTable tupleTable;

  /**
   * Set when several integer keys are packed into one word of {@link #longTable} by the build
   * side's ranges; null when {@link #longTable} holds one key's values.
   */
  private PackedLongKeys packedKeys;

  private BytesGroupHashTable bytesTable;
  private final KeySerializer serializer = new KeySerializer();

  /**
   * For MARK and NULL_AWARE_ANTI joins with a key compared with {@code =}; read-only once built.
   */
  private NullAwareMarks nullAwareMarks;

  private final KeySerializer markSerializer = new KeySerializer();

  /** The key tuples of the rows whose key ids are being computed ({@link #tupleTable} only). */
  private long[] tupleScratch = new long[0];

  /** The probe keys of one chunk, for {@link LongGroupHashTable#findAll}. */
  private long[] probeScratch = new long[0];

  /** The key id of each row of {@link #probe}. */
  private int[] probeKeyIds = new int[0];

  private int[] firstRow;
  private int[] lastRow;
  private int[] nextRow;
  private boolean[] rightMatched;

  private Batch probe;
  private int probeRow;
  private int cursor = NOT_STARTED;
  private boolean[] probeMatched;

  /** Per probe row of a MARK or NULL_AWARE_ANTI join: some pair's residual was NULL. */
  private boolean[] probeUnknown;

  private final int[] pairLeft = new int[CHUNK];
  private final int[] pairRight = new int[CHUNK];
  private boolean leftDone;
  private int unmatchedCursor;

  private SpillPartitions buildPartitions;
  private SpillPartitions probePartitions;
  private HashJoinOperator partitionJoin;
  private int nextPartition;

  /**
   * The probe partitions joined with the build partitions: this join's own, or, for the last copy
   * of a shared spilled join that outputs build rows at end, every copy's ({@link SharedBuild});
   * {@code null} before the probe input is partitioned, and empty for a copy that handed its own
   * over to the last one.
   */
  private List<SpillPartitions> joinedProbePartitions;

  /**
   * Whether this copy outputs the build rows at end (always without a shared build; the last copy
   * to finish probing with one); {@code null} until the probe is over.
   */
  private Boolean outputsBuildRowsAtEnd;

  public HashJoinOperator(
      Operator left,
      Operator right,
      int[] leftKeys,
      int[] rightKeys,
      boolean[] nullMatches,
      JoinType joinType,
      Expression residual,
      EvaluationContext context,
      QueryMemoryBudget budget) {
    this(
        left,
        right,
        leftKeys,
        rightKeys,
        nullMatches,
        joinType,
        residual,
        context,
        budget,
        0,
        null,
        false);
  }

  /**
   * One probe copy of a join whose probe side runs in several pipelines: every copy gets its own
   * left input (a copy of the probe pipeline) and the same {@code right} input and {@code shared}
   * build, which the first copy to need it builds; see {@link SharedBuild}.
   */
  public HashJoinOperator(
      Operator left,
      Operator right,
      int[] leftKeys,
      int[] rightKeys,
      boolean[] nullMatches,
      JoinType joinType,
      Expression residual,
      EvaluationContext context,
      QueryMemoryBudget budget,
      SharedBuild shared) {
    this(
        left,
        right,
        leftKeys,
        rightKeys,
        nullMatches,
        joinType,
        residual,
        context,
        budget,
        0,
        shared,
        false);
  }

  /**
   * The build side of one join shared by its probe copies in parallel pipelines. The first copy to
   * need it builds it from the right input all copies were given, while the others wait; then every
   * copy probes the same read-only table, or, when the build spilled, joins its own probe
   * partitions with the same build partitions. The right input, the build's memory and its spill
   * files are released when the last copy closes.
   *
   * <p>A join that outputs build rows once the probe is over (RIGHT, FULL, RIGHT_SEMI, RIGHT_ANTI)
   * has them output by the last copy to finish probing: each copy marks the build rows its probe
   * rows matched in its own flags, and the last one outputs by the union of all copies' flags
   * ({@link #finishProbing}). Spilled, each copy partitions its probe input and hands its
   * partitions over; the last copy joins every copy's probe rows of a partition with that build
   * partition at once ({@link #handOverProbePartitions}), so each build row is decided once.
   *
   * <p>Call {@link #probes} with the number of copies before any of them runs. Thread safe.
   */
  public static final class SharedBuild {
    private int probes = 1;
    private int closed;
    private HashJoinOperator source;
    private RuntimeException failure;

    /** Copies done probing (or partitioning) so far, for joins that output build rows at end. */
    private int finishedProbes;

    /** The union of the finished copies' matched-build-row flags (in memory). */
    private boolean[] matchedUnion;

    /** The probe partitions the finished copies handed over (spilled). */
    private final List<SpillPartitions> handedOver = new ArrayList<>();

    /**
     * Held by the one copy joining spilled partition pairs: each pair's build reserves from the
     * query's budget, so copies taking turns keep a spilled join within {@code exec_mem_limit}
     * however many copies probe (partitioning the probe side needs no turn).
     */
    private final java.util.concurrent.Semaphore partitionTurn =
        new java.util.concurrent.Semaphore(1);

    /** How many probe copies share this build. */
    public void probes(int count) {
      this.probes = count;
    }

    /** Builds once (in the first caller) and hands the result to every other copy. */
    synchronized void ensureBuilt(HashJoinOperator probe) {
      if (failure != null) {
        throw failure;
      }
      if (source == null) {
        try {
          probe.build();
        } catch (RuntimeException e) {
          failure = e;
          throw e;
        }
        if (probe.buildPartitions != null) {
          probe.buildPartitions.finishWriting();
        }
        source = probe;
      } else {
        probe.adopt(source);
      }
    }

    /**
     * A copy finished probing the in-memory build: its matched flags join the union. True for the
     * last copy, which then holds the union in its own flags and outputs the build rows at end.
     */
    synchronized boolean finishProbing(HashJoinOperator probe) {
      boolean[] matched = probe.rightMatched;
      if (matchedUnion == null) {
        matchedUnion = matched;
      } else {
        for (int row = 0; row < matched.length; row++) {
          matchedUnion[row] |= matched[row];
        }
      }
      if (++finishedProbes < probes) {
        return false;
      }
      probe.rightMatched = matchedUnion;
      return true;
    }

    /**
     * A copy partitioned its probe input against the spilled build: its probe partitions are handed
     * over (it no longer owns them). The last copy gets every copy's partitions, to join them with
     * the build partitions; the others get {@code null} and output nothing more.
     */
    synchronized List<SpillPartitions> handOverProbePartitions(HashJoinOperator probe) {
      handedOver.add(probe.probePartitions);
      probe.probePartitions = null;
      if (++finishedProbes < probes) {
        return null;
      }
      List<SpillPartitions> all = List.copyOf(handedOver);
      handedOver.clear(); // the last copy owns them now
      return all;
    }

    /** A copy closed: the last one releases the build and closes the right input. */
    synchronized void release(HashJoinOperator probe) {
      closed++;
      if (probe != source) {
        probe.memory.close();
      }
      if (closed < probes) {
        return;
      }
      try {
        // Partitions handed over by copies whose last one never came (a failed or cancelled
        // query): nobody else will delete their files.
        for (SpillPartitions partitions : handedOver) {
          partitions.close();
        }
        handedOver.clear();
        if (source != null) {
          source.memory.close();
          if (source.buildPartitions != null) {
            source.buildPartitions.close();
          }
        }
      } finally {
        probe.right.close();
      }
    }
  }

  private void releasePartitionTurn() {
    if (holdsPartitionTurn) {
      holdsPartitionTurn = false;
      shared.partitionTurn.release();
    }
  }

  /** Takes the finished build of another copy (shared, read-only). */
  private void adopt(HashJoinOperator source) {
    built = true;
    buildColumns = source.buildColumns;
    buildRowCount = source.buildRowCount;
    longTable = source.longTable;
    packedKeys = source.packedKeys;
    tupleTable = source.tupleTable;
    bytesTable = source.bytesTable;
    nullAwareMarks = source.nullAwareMarks;
    spilledBuildRows = source.spilledBuildRows;
    spilledBuildHasNullKey = source.spilledBuildHasNullKey;
    firstRow = source.firstRow;
    nextRow = source.nextRow;
    buildPartitions = source.buildPartitions;
    rightMatched = buildPartitions == null ? new boolean[buildRowCount] : null;
    if (buildPartitions == null && buildRowCount == 0 && nothingMatchesAnEmptyBuild()) {
      leftDone = true;
    }
  }

  /**
   * A join at grace recursion level {@code level} (0 unless over spilled partitions); {@code
   * unmatchedAreUnknown}: a mark join over the partitions of a spilled one whose build side held a
   * NULL compared key (see {@link #spillsByComparedKey}).
   */
  private HashJoinOperator(
      Operator left,
      Operator right,
      int[] leftKeys,
      int[] rightKeys,
      boolean[] nullMatches,
      JoinType joinType,
      Expression residual,
      EvaluationContext context,
      QueryMemoryBudget budget,
      int level,
      SharedBuild shared,
      boolean unmatchedAreUnknown) {
    this.memory = budget.reservation("HashJoinOperator(" + joinType + ")");
    this.unmatchedAreUnknown = unmatchedAreUnknown;
    this.budget = budget;
    this.level = level;
    this.shared = shared;
    this.left = left;
    this.right = right;
    this.leftKeys = leftKeys.clone();
    this.rightKeys = rightKeys.clone();
    this.nullMatches = nullMatches.clone();
    this.spillsByComparedKey =
        joinType.marks() && leftKeys.length == 1 && !nullMatches[0] && residual == null;
    boolean partitionsByGroup =
        joinType.marks() && comparesWithEquals(nullMatches) && !spillsByComparedKey;
    this.leftPartitionKeys = partitionsByGroup ? nullSafeKeys(leftKeys, nullMatches) : leftKeys;
    this.rightPartitionKeys = partitionsByGroup ? nullSafeKeys(rightKeys, nullMatches) : rightKeys;
    this.joinType = joinType;
    this.residual = residual;
    this.context = context;
    List<DataType> joined = new ArrayList<>(left.outputTypes());
    joined.addAll(right.outputTypes());
    this.joinedTypes = List.copyOf(joined);
    if (joinType.marks() && residual != null && comparesWithEquals(nullMatches)) {
      // A residual NULL for a pair whose = keys hold a NULL would go unseen (no pair is formed).
      throw new IllegalArgumentException(
          joinType + " join with both = keys and a residual condition");
    }
    if (joinType == JoinType.MARK) {
      List<DataType> marked = new ArrayList<>(left.outputTypes());
      marked.add(DataType.BOOLEAN);
      this.outputTypes = List.copyOf(marked);
    } else {
      this.outputTypes =
          joinType.outputsPairs()
              ? joinedTypes
              : joinType.outputsRight() ? right.outputTypes() : left.outputTypes();
    }
  }

  /** The keys of {@code keys} compared with {@code IS NOT DISTINCT FROM}. */
  private static int[] nullSafeKeys(int[] keys, boolean[] nullMatches) {
    int[] kept = new int[keys.length];
    int count = 0;
    for (int i = 0; i < keys.length; i++) {
      if (nullMatches[i]) {
        kept[count++] = keys[i];
      }
    }
    return Arrays.copyOf(kept, count);
  }

  /** Whether some key is compared with {@code =} (a NULL never matches). */
  private static boolean comparesWithEquals(boolean[] nullMatches) {
    for (boolean matches : nullMatches) {
      if (!matches) {
        return true;
      }
    }
    return false;
  }

  /**
   * Publishes the build side's values of one key into {@code filter} once the build is complete
   * (before the probe side is read), for the probe side's scan. Only an INNER, SEMI or RIGHT join
   * qualifies (probe rows without a match are not output), and only for a key that is {@code
   * probeKey} (a column of the left input, the column the filter is meant for), is compared with
   * {@code =} (a NULL never matches) and is of a type {@link RuntimeFilter#supports}. A join on
   * several keys may publish one filter per key. Returns whether this join will publish.
   */
  public boolean publishRuntimeFilter(RuntimeFilter filter, int probeKey) {
    boolean joinQualifies =
        joinType == JoinType.INNER
            || joinType == JoinType.SEMI
            || joinType == JoinType.RIGHT
            || joinType == JoinType.RIGHT_SEMI
            || joinType == JoinType.RIGHT_ANTI;
    for (int key = 0; joinQualifies && key < leftKeys.length; key++) {
      if (leftKeys[key] == probeKey
          && !nullMatches[key]
          && RuntimeFilter.supports(left.outputTypes().get(leftKeys[key]))
          && RuntimeFilter.supports(right.outputTypes().get(rightKeys[key]))) {
        runtimeFilters.add(new PublishedKey(filter, key));
        return true;
      }
    }
    return false;
  }

  @Override
  public List<DataType> outputTypes() {
    return outputTypes;
  }

  @Override
  public Batch next() {
    if (!built) {
      if (shared == null) {
        build();
      } else {
        shared.ensureBuilt(this);
      }
    }
    if (buildPartitions != null) {
      return nextPartitionBatch();
    }
    while (ready.isEmpty()) {
      if (probe != null) {
        step();
      } else if (!leftDone) {
        Batch batch = left.next();
        if (batch == null) {
          leftDone = true;
        } else if (batch.rowCount() > 0) {
          startProbe(batch);
        }
      } else if (outputsBuildRowsAtEnd == null) {
        outputsBuildRowsAtEnd =
            shared == null || !joinType.outputsBuildRowsAtEnd() || shared.finishProbing(this);
      } else if (!outputsBuildRowsAtEnd || !emitUnmatchedRight()) {
        return null;
      }
    }
    return ready.poll();
  }

  private void build() {
    built = true;
    List<DataType> rightTypes = right.outputTypes();
    List<Batch> held = new ArrayList<>();
    long partBytes = 0;
    for (Batch batch = right.next(); batch != null; batch = right.next()) {
      if (batch.rowCount() == 0) {
        continue;
      }
      long bytes = MemoryEstimates.batch(batch);
      if (!reserve(bytes)) {
        held.add(batch);
        spillBuild(held);
        return;
      }
      partBytes += bytes;
      held.add(batch);
      buildRowCount += batch.rowCount();
    }
    // The concatenated copy (about what the batches take) and the chains, before they exist.
    long concatenatedBytes = partBytes + buildRowCount * 5L + 16L * buildRowCount;
    if (!reserve(concatenatedBytes)) {
      spillBuild(held);
      return;
    }
    buildColumns = new ArrayList<>(rightTypes.size());
    for (int column = 0; column < rightTypes.size(); column++) {
      List<ColumnVector> parts = new ArrayList<>(held.size());
      for (Batch batch : held) {
        parts.add(batch.column(column));
      }
      buildColumns.add(VectorGather.concatenate(rightTypes.get(column), parts));
    }
    held.clear();
    memory.free(partBytes);
    rightMatched = new boolean[buildRowCount];
    nextRow = new int[buildRowCount];
    if (leftKeys.length > 0) {
      buildTable();
    }
    if (joinType.marks() && comparesWithEquals(nullMatches)) {
      nullAwareMarks =
          new NullAwareMarks(buildColumns, buildRowCount, leftKeys, rightKeys, nullMatches);
    }
    long unreserved = buildRowCount * 5L + tableBytes() - 16L * buildRowCount;
    if (unreserved > 0 && !reserve(unreserved)) {
      // The table came out larger than reserved for: drop it and partition the build rows.
      List<Batch> all = new ArrayList<>(List.of(new Batch(buildColumns, buildRowCount)));
      buildColumns = null;
      longTable = null;
      packedKeys = null;
      tupleTable = null;
      bytesTable = null;
      nullAwareMarks = null;
      firstRow = null;
      lastRow = null;
      nextRow = null;
      rightMatched = null;
      spillBuild(all);
      return;
    }
    for (PublishedKey published : runtimeFilters) {
      publishKeys(published);
    }
    if (buildRowCount == 0 && nothingMatchesAnEmptyBuild()) {
      leftDone = true;
    }
  }

  /**
   * Whether, with no build rows, the join outputs nothing for its probe rows (nothing can match and
   * unmatched probe rows are not output), so the probe input need not be read.
   */
  private boolean nothingMatchesAnEmptyBuild() {
    return joinType == JoinType.INNER
        || joinType == JoinType.SEMI
        || joinType == JoinType.RIGHT
        || joinType == JoinType.RIGHT_SEMI
        || joinType == JoinType.RIGHT_ANTI;
  }

  /**
   * Publishes the build rows' values of one key into its runtime filter: sized from the join's
   * distinct key count (at least the distinct values of any one key), with the join's own table
   * when that key alone is hashed there; the filter reserves what it holds in this join's memory.
   */
  private void publishKeys(PublishedKey published) {
    int distinctKeys =
        longTable != null
            ? longTable.groupCount()
            : tupleTable != null ? tupleTable.groupCount() : bytesTable.groupCount();
    published
        .filter()
        .publish(
            right.outputTypes().get(rightKeys[published.key()]),
            buildColumns.get(rightKeys[published.key()]),
            buildRowCount,
            distinctKeys,
            packedKeys == null ? longTable : null,
            memory);
  }

  /**
   * Reserves {@code bytes} for the build side: false when the budget refuses and the join can spill
   * instead; otherwise a refusal fails the statement with MEM_LIMIT_EXCEEDED.
   */
  private boolean reserve(long bytes) {
    if (budget.spillDirectory() == null || leftPartitionKeys.length == 0) {
      memory.add(bytes);
      return true;
    }
    if (memory.tryAdd(bytes)) {
      return true;
    }
    if (level < SpillPartitions.MAX_LEVEL) {
      return false;
    }
    throw new BasaltException(
        ErrorCode.MEMORY_LIMIT_EXCEEDED,
        String.format(
            "Query %s exceeded its memory limit in %s even spilling to disk: after %d rounds of"
                + " partitioning, the build rows of one partition (a few keys with very many rows)"
                + " still do not fit in exec_mem_limit = %d bytes. Raise the limit (SET"
                + " exec_mem_limit = <bytes>) or join on a more selective key.",
            budget.queryId(), "HashJoinOperator(" + joinType + ")", level + 1, budget.limit()));
  }

  /**
   * Turns this join into a grace hash join: the build batches held so far and the rest of the right
   * input go to partitions by key hash, and the memory they held is returned.
   */
  private void spillBuild(List<Batch> held) {
    buildPartitions = partitions(right.outputTypes(), rightPartitionKeys);
    for (Batch batch : held) {
      addBuildBatch(batch);
    }
    held.clear();
    // Everything back, not just the surplus: the deeper joins reserve their own.
    memory.close();
    for (Batch batch = right.next(); batch != null; batch = right.next()) {
      if (batch.rowCount() > 0) {
        addBuildBatch(batch);
      }
    }
  }

  private void addBuildBatch(Batch batch) {
    if (!spillsByComparedKey) {
      buildPartitions.add(batch);
      return;
    }
    spilledBuildRows += batch.rowCount();
    ColumnVector key = batch.column(rightKeys[0]);
    Batch nonNull = rowsWhereKeyIsNull(batch, key, false);
    spilledBuildHasNullKey |= nonNull.rowCount() < batch.rowCount();
    if (nonNull.rowCount() > 0) {
      buildPartitions.add(nonNull);
    }
  }

  /** The rows of {@code batch} whose {@code key} is NULL ({@code wanted}) or is not. */
  private static Batch rowsWhereKeyIsNull(Batch batch, ColumnVector key, boolean wanted) {
    if (!key.mayHaveNulls() && !wanted) {
      return batch;
    }
    int[] rows = new int[batch.rowCount()];
    int count = 0;
    for (int row = 0; row < batch.rowCount(); row++) {
      if (key.isNull(row) == wanted) {
        rows[count++] = row;
      }
    }
    if (count == batch.rowCount()) {
      return batch;
    }
    List<ColumnVector> columns = new ArrayList<>(batch.columns().size());
    for (ColumnVector column : batch.columns()) {
      columns.add(ColumnVectors.take(column, rows, count));
    }
    return new Batch(columns, count);
  }

  /**
   * The answer for probe rows with a NULL key of a join that {@link #spillsByComparedKey}: NULL
   * marks (MARK) or no rows (NULL_AWARE_ANTI) when the build side had rows; FALSE marks or every
   * row when it had none.
   */
  private void answerNullKeyProbeRows(Batch nullKeys) {
    if (nullKeys.rowCount() == 0) {
      return;
    }
    boolean buildEmpty = spilledBuildRows == 0;
    if (joinType == JoinType.NULL_AWARE_ANTI) {
      if (buildEmpty) {
        ready.add(nullKeys);
      }
      return;
    }
    List<ColumnVector> columns = new ArrayList<>(nullKeys.columns());
    columns.add(
        ColumnVectorBuilder.constant(
            DataType.BOOLEAN, buildEmpty ? false : null, nullKeys.rowCount()));
    ready.add(new Batch(columns, nullKeys.rowCount()));
  }

  private SpillPartitions partitions(List<DataType> types, int[] keys) {
    memory.spillPartitions(SpillPartitions.FANOUT);
    return new SpillPartitions(budget.spillDirectory(), types, keys, level, memory::addSpilled);
  }

  /**
   * Grace hash join output: partitions the left input (on the first call), then joins each pair of
   * partitions with a join one level deeper and returns its batches.
   */
  private Batch nextPartitionBatch() {
    if (joinedProbePartitions == null) {
      probePartitions = partitions(left.outputTypes(), leftPartitionKeys);
      for (Batch batch = left.next(); batch != null; batch = left.next()) {
        if (batch.rowCount() == 0) {
          continue;
        }
        if (spillsByComparedKey) {
          ColumnVector key = batch.column(leftKeys[0]);
          answerNullKeyProbeRows(rowsWhereKeyIsNull(batch, key, true));
          batch = rowsWhereKeyIsNull(batch, key, false);
          if (batch.rowCount() == 0) {
            continue;
          }
        }
        probePartitions.add(batch);
      }
      joinedProbePartitions =
          shared == null || !joinType.outputsBuildRowsAtEnd()
              ? List.of(probePartitions)
              : Objects.requireNonNullElse(shared.handOverProbePartitions(this), List.of());
      if (joinedProbePartitions.isEmpty()) {
        return null; // the last copy joins this copy's probe rows
      }
    }
    if (!ready.isEmpty()) {
      return ready.poll();
    }
    if (joinedProbePartitions.isEmpty()) {
      return null;
    }
    if (shared != null && !holdsPartitionTurn) {
      shared.partitionTurn.acquireUninterruptibly();
      holdsPartitionTurn = true;
    }
    while (true) {
      if (partitionJoin != null) {
        Batch batch = partitionJoin.next();
        if (batch != null) {
          return batch;
        }
        partitionJoin.close();
        partitionJoin = null;
      }
      if (nextPartition == SpillPartitions.FANOUT) {
        releasePartitionTurn();
        return null;
      }
      int partition = nextPartition++;
      long probeRows = 0;
      for (SpillPartitions partitions : joinedProbePartitions) {
        probeRows += partitions.rowCount(partition);
      }
      boolean noProbe = probeRows == 0;
      boolean noBuild = buildPartitions.rowCount(partition) == 0;
      boolean outputsUnmatchedBuild =
          joinType == JoinType.RIGHT
              || joinType == JoinType.FULL
              || joinType == JoinType.RIGHT_ANTI;
      boolean outputsUnmatchedProbe = joinType.outputsUnmatchedProbeRows();
      if ((noProbe && !outputsUnmatchedBuild) || (noBuild && !outputsUnmatchedProbe)) {
        for (SpillPartitions partitions : joinedProbePartitions) {
          partitions.delete(partition);
        }
        if (shared == null) {
          buildPartitions.delete(partition);
        }
        continue;
      }
      partitionJoin =
          new HashJoinOperator(
              probePartitionInput(partition),
              new SpilledPartitionOperator(
                  right.outputTypes(), buildPartitions, partition, shared == null),
              leftKeys,
              rightKeys,
              nullMatches,
              joinType,
              residual,
              context,
              budget,
              level + 1,
              null,
              unmatchedAreUnknown || spilledBuildHasNullKey);
    }
  }

  /** The probe rows of one spilled partition: every joined probe partition's, one after another. */
  private Operator probePartitionInput(int partition) {
    List<DataType> types = left.outputTypes();
    if (joinedProbePartitions.size() == 1) {
      return new SpilledPartitionOperator(types, joinedProbePartitions.get(0), partition);
    }
    List<Operator> parts = new ArrayList<>(joinedProbePartitions.size());
    for (SpillPartitions partitions : joinedProbePartitions) {
      parts.add(new SpilledPartitionOperator(types, partitions, partition));
    }
    // UNION ALL streams its inputs one after another.
    return new SetOperationOperator(SetOperationOperator.Kind.UNION, true, parts, types, budget);
  }

  private boolean fixedWidthKey() {
    if (leftKeys.length != 1 || nullMatches[0]) {
      return false;
    }
    PhysicalType leftType = left.outputTypes().get(leftKeys[0]).physical();
    PhysicalType rightType = right.outputTypes().get(rightKeys[0]).physical();
    return leftType == rightType
        && (leftType == PhysicalType.LONG || leftType == PhysicalType.DOUBLE);
  }

  /** Whether every key pair is fixed-width of one physical type (LONG or DOUBLE) on both sides. */
  private boolean fixedWidthKeys() {
    for (int i = 0; i < leftKeys.length; i++) {
      PhysicalType leftType = left.outputTypes().get(leftKeys[i]).physical();
      PhysicalType rightType = right.outputTypes().get(rightKeys[i]).physical();
      if (leftType != rightType
          || (leftType != PhysicalType.LONG && leftType != PhysicalType.DOUBLE)) {
        return false;
      }
    }
    return true;
  }

  /** Whether some key is compared with {@code IS NOT DISTINCT FROM} (NULL matches NULL). */
  private boolean anyNullMatches() {
    for (boolean matches : nullMatches) {
      if (matches) {
        return true;
      }
    }
    return false;
  }

  private void buildTable() {
    int expected = Math.max(16, buildRowCount);
    List<ColumnVector> keys = new ArrayList<>(rightKeys.length);
    for (int key : rightKeys) {
      keys.add(buildColumns.get(key));
    }
    if (fixedWidthKey()) {
      longTable = new LongGroupHashTable(expected);
    } else if (fixedWidthKeys() && leftKeys.length < Long.SIZE) {
      packedKeys = anyNullMatches() ? null : PackedLongKeys.of(keys, buildRowCount);
      if (packedKeys != null) {
        longTable = new LongGroupHashTable(expected);
      } else {
        // One word per key, and one of null flags when a NULL key can match.
        int width = leftKeys.length + (anyNullMatches() ? 1 : 0);
        tupleTable = new LongTupleHashTable(width, expected);
      }
    } else {
      bytesTable = new BytesGroupHashTable(expected);
    }
    firstRow = new int[16];
    lastRow = new int[16];
    int[] keyIds = new int[Math.min(CHUNK, Math.max(1, buildRowCount))];
    // Key ids are dense in order of first appearance, so a row starts a new chain exactly when its
    // key id equals the number of chains so far.
    int chains = 0;
    for (int start = 0; start < buildRowCount; start += keyIds.length) {
      int count = Math.min(keyIds.length, buildRowCount - start);
      keyIds(keys, start, count, true, keyIds);
      for (int i = 0; i < count; i++) {
        int keyId = keyIds[i];
        int row = start + i;
        if (keyId < 0) {
          continue;
        }
        nextRow[row] = NONE;
        if (keyId == chains) {
          if (keyId == firstRow.length) {
            firstRow = Arrays.copyOf(firstRow, keyId * 2);
            lastRow = Arrays.copyOf(lastRow, keyId * 2);
          }
          firstRow[keyId] = row;
          chains++;
        } else {
          nextRow[lastRow[keyId]] = row;
        }
        lastRow[keyId] = row;
      }
    }
  }

  private long tableBytes() {
    long bytes = firstRow == null ? 0 : 8L * firstRow.length;
    if (longTable != null) {
      bytes += longTable.estimatedBytes();
    }
    if (tupleTable != null) {
      bytes += tupleTable.estimatedBytes();
    }
    if (bytesTable != null) {
      bytes += bytesTable.estimatedBytes();
    }
    if (nullAwareMarks != null) {
      bytes += nullAwareMarks.estimatedBytes();
    }
    return bytes;
  }

  /**
   * Writes into {@code keyIds[0, count)} the key ids of rows {@code [from, from + count)} of {@code
   * keys} (inserting new keys when {@code insert}); -1 for a row whose key contains a NULL that
   * never matches or, when probing, is not in the table.
   */
  private void keyIds(List<ColumnVector> keys, int from, int count, boolean insert, int[] keyIds) {
    if (packedKeys != null) {
      packedKeyIds(keys, from, count, insert, keyIds);
    } else if (longTable != null) {
      longKeyIds(keys.get(0), from, count, insert, keyIds);
    } else if (tupleTable != null) {
      tupleKeyIds(keys, from, count, insert, keyIds);
    } else if (keys.size() == 1
        && keys.get(0) instanceof BytesVector strings
        && strings.hasDictionary()
        && strings.dictionary().size() <= count) {
      dictionaryKeyIds(strings, from, count, insert, keyIds);
    } else {
      for (int i = 0; i < count; i++) {
        keyIds[i] = bytesKeyId(keys, from + i, insert);
      }
    }
  }

  /**
   * {@link #keyIds} for one string key whose rows carry dictionary codes ({@link
   * BytesVector#hasDictionary}): each dictionary entry's key is serialized and looked up (or
   * inserted) once, at the first row that holds it, and the other rows take its key id by code.
   * Rows are resolved in order, so inserted keys get the ids the row path would give them.
   */
  private void dictionaryKeyIds(
      BytesVector strings, int from, int count, boolean insert, int[] keyIds) {
    BytesVector dictionary = strings.dictionary();
    List<ColumnVector> entries = List.of(dictionary);
    List<ColumnVector> rows = List.of(strings);
    int[] codes = strings.dictionaryCodes();
    // entryKeyIds[code] - 2 is the entry's key id (0: not looked up yet; key ids are >= -1).
    int[] entryKeyIds = new int[dictionary.size()];
    boolean nullable = strings.mayHaveNulls();
    for (int i = 0; i < count; i++) {
      int row = from + i;
      if (nullable && strings.isNull(row)) {
        keyIds[i] = bytesKeyId(rows, row, insert);
        continue;
      }
      int code = codes[row];
      int known = entryKeyIds[code];
      if (known == 0) {
        known = bytesKeyId(entries, code, insert) + 2;
        entryKeyIds[code] = known;
      }
      keyIds[i] = known - 2;
    }
  }

  private void longKeyIds(ColumnVector key, int from, int count, boolean insert, int[] keyIds) {
    boolean mayHaveNulls = key.mayHaveNulls();
    LongGroupHashTable table = longTable;
    if (!insert && !mayHaveNulls && key instanceof LongVector longs) {
      // Probing: the whole chunk's keys at once, so that their cache misses overlap.
      if (probeScratch.length < count) {
        probeScratch = new long[Math.max(count, CHUNK)];
      }
      long[] probeKeys = probeScratch;
      for (int i = 0; i < count; i++) {
        probeKeys[i] = longs.getLong(from + i);
      }
      table.findAll(probeKeys, count, keyIds);
    } else if (key instanceof LongVector longs) {
      for (int i = 0; i < count; i++) {
        int row = from + i;
        if (mayHaveNulls && longs.isNull(row)) {
          keyIds[i] = NONE;
        } else {
          long value = longs.getLong(row);
          keyIds[i] = insert ? table.findOrInsert(value) : table.find(value);
        }
      }
    } else {
      DoubleVector doubles = (DoubleVector) key;
      for (int i = 0; i < count; i++) {
        int row = from + i;
        if (mayHaveNulls && doubles.isNull(row)) {
          keyIds[i] = NONE;
        } else {
          long value = KeySerializer.doubleKey(doubles.getDouble(row));
          keyIds[i] = insert ? table.findOrInsert(value) : table.find(value);
        }
      }
    }
  }

  /**
   * Key ids through {@link #longTable} of keys packed by {@link #packedKeys}: a probe row whose
   * value lies outside a key's build range matches nothing; the others are looked up a chunk at a
   * time, as one integer key is.
   */
  private void packedKeyIds(
      List<ColumnVector> keys, int from, int count, boolean insert, int[] keyIds) {
    if (probeScratch.length < count) {
      probeScratch = new long[Math.max(count, CHUNK)];
    }
    long[] packed = probeScratch;
    int excluded = packedKeys.pack(keys, from, count, packed, keyIds);
    LongGroupHashTable table = longTable;
    if (insert) {
      for (int i = 0; i < count; i++) {
        if (keyIds[i] == 0) {
          keyIds[i] = table.findOrInsert(packed[i]);
        }
      }
    } else if (excluded == 0) {
      table.findAll(packed, count, keyIds);
    } else {
      for (int i = 0; i < count; i++) {
        if (keyIds[i] == 0) {
          keyIds[i] = table.find(packed[i]);
        }
      }
    }
  }

  /**
   * Key ids through {@link #tupleTable}: the rows' key tuples are laid out one column at a time in
   * {@link #tupleScratch} (word {@code c} of row {@code i} at {@code i * width + c}; the null-flag
   * word last), then looked up row by row.
   */
  private void tupleKeyIds(
      List<ColumnVector> keys, int from, int count, boolean insert, int[] keyIds) {
    int width = tupleTable.width();
    int flagWord = keys.size() < width ? keys.size() : -1;
    if (tupleScratch.length < count * width) {
      tupleScratch = new long[Math.max(count, CHUNK) * width];
    }
    long[] tuples = tupleScratch;
    Arrays.fill(keyIds, 0, count, 0);
    if (flagWord >= 0) {
      for (int i = 0; i < count; i++) {
        tuples[i * width + flagWord] = 0;
      }
    }
    for (int column = 0; column < keys.size(); column++) {
      ColumnVector key = keys.get(column);
      boolean mayHaveNulls = key.mayHaveNulls();
      LongVector longs = key instanceof LongVector vector ? vector : null;
      DoubleVector doubles = key instanceof DoubleVector vector ? vector : null;
      for (int i = 0; i < count; i++) {
        int row = from + i;
        if (mayHaveNulls && key.isNull(row)) {
          if (nullMatches[column]) {
            tuples[i * width + column] = 0;
            tuples[i * width + flagWord] |= 1L << column;
          } else {
            keyIds[i] = NONE;
          }
        } else {
          tuples[i * width + column] =
              longs != null ? longs.getLong(row) : KeySerializer.doubleKey(doubles.getDouble(row));
        }
      }
    }
    LongTupleHashTable table = tupleTable;
    for (int i = 0; i < count; i++) {
      if (keyIds[i] == 0) {
        keyIds[i] = insert ? table.findOrInsert(tuples, i * width) : table.find(tuples, i * width);
      }
    }
  }

  /** The key id of row {@code row} through {@link #bytesTable}, as {@link #keyIds}. */
  private int bytesKeyId(List<ColumnVector> keys, int row, boolean insert) {
    for (int i = 0; i < keys.size(); i++) {
      if (!nullMatches[i] && keys.get(i).isNull(row)) {
        return NONE;
      }
    }
    int length = serializer.serialize(keys, row);
    return insert
        ? bytesTable.findOrInsert(serializer.buffer(), 0, length)
        : bytesTable.find(serializer.buffer(), 0, length);
  }

  private void startProbe(Batch batch) {
    probe = batch;
    probeRow = 0;
    cursor = NOT_STARTED;
    probeMatched = new boolean[batch.rowCount()];
    probeUnknown = joinType.marks() ? new boolean[batch.rowCount()] : null;
    if (leftKeys.length > 0) {
      List<ColumnVector> probeKeys = new ArrayList<>(leftKeys.length);
      for (int key : leftKeys) {
        probeKeys.add(batch.column(key));
      }
      if (probeKeyIds.length < batch.rowCount()) {
        probeKeyIds = new int[Math.max(batch.rowCount(), CHUNK)];
      }
      keyIds(probeKeys, 0, batch.rowCount(), false, probeKeyIds);
    }
  }

  /** The first build row that may match probe row {@code row}, or NONE. */
  private int firstCandidate(int row) {
    if (leftKeys.length == 0) {
      return buildRowCount > 0 ? 0 : NONE;
    }
    int keyId = probeKeyIds[row];
    return keyId < 0 ? NONE : firstRow[keyId];
  }

  private int nextCandidate(int buildRow) {
    if (leftKeys.length == 0) {
      return buildRow + 1 < buildRowCount ? buildRow + 1 : NONE;
    }
    return nextRow[buildRow];
  }

  /** Collects up to one chunk of candidate pairs from the probe batch and processes them. */
  private void step() {
    // Without a residual, one candidate decides a SEMI, ANTI or mark row.
    boolean firstMatchDecides =
        residual == null
            && (joinType == JoinType.SEMI || joinType == JoinType.ANTI || joinType.marks());
    // A RIGHT_SEMI or RIGHT_ANTI build row is decided by its first accepted pair.
    boolean skipMatchedBuildRows = !joinType.outputsLeft();
    int rowCount = probe.rowCount();
    int pairs = 0;
    while (pairs < CHUNK && probeRow < rowCount) {
      if (cursor == NOT_STARTED) {
        cursor = firstCandidate(probeRow);
      }
      while (cursor >= 0 && pairs < CHUNK) {
        if (!skipMatchedBuildRows || !rightMatched[cursor]) {
          pairLeft[pairs] = probeRow;
          pairRight[pairs] = cursor;
          pairs++;
        }
        cursor = firstMatchDecides ? NONE : nextCandidate(cursor);
      }
      if (cursor < 0) {
        probeRow++;
        cursor = NOT_STARTED;
      }
    }
    if (pairs > 0) {
      processPairs(pairs);
    }
    if (probeRow >= rowCount) {
      finishProbe();
      probe = null;
    }
  }

  private void processPairs(int pairs) {
    int accepted = pairs;
    if (residual != null) {
      List<ColumnVector> columns = gather(pairLeft, pairRight, pairs);
      LongVector condition = (LongVector) residual.evaluate(new Batch(columns, pairs), context);
      accepted = 0;
      for (int p = 0; p < pairs; p++) {
        if (!condition.isNull(p) && condition.getLong(p) != 0) {
          pairLeft[accepted] = pairLeft[p];
          pairRight[accepted] = pairRight[p];
          accepted++;
        } else if (probeUnknown != null && condition.isNull(p)) {
          probeUnknown[pairLeft[p]] = true;
        }
      }
    }
    for (int p = 0; p < accepted; p++) {
      probeMatched[pairLeft[p]] = true;
      rightMatched[pairRight[p]] = true;
    }
    if (joinType.outputsPairs() && accepted > 0) {
      ready.add(new Batch(gather(pairLeft, pairRight, accepted), accepted));
    }
  }

  /** The joined columns of the pairs: left columns of the probe batch, then build columns. */
  private List<ColumnVector> gather(int[] leftRows, int[] rightRows, int count) {
    List<ColumnVector> columns = new ArrayList<>(joinedTypes.size());
    for (ColumnVector column : probe.columns()) {
      columns.add(ColumnVectors.take(column, leftRows, count));
    }
    for (ColumnVector column : buildColumns) {
      columns.add(ColumnVectors.take(column, rightRows, count));
    }
    return columns;
  }

  /** Outputs the left-only rows of the finished probe batch (SEMI, ANTI, LEFT and FULL). */
  private void finishProbe() {
    if (joinType.marks()) {
      finishMarks();
      return;
    }
    if (joinType == JoinType.INNER
        || joinType == JoinType.RIGHT
        || joinType == JoinType.RIGHT_SEMI
        || joinType == JoinType.RIGHT_ANTI) {
      return;
    }
    boolean wanted = joinType == JoinType.SEMI;
    int[] rows = new int[probe.rowCount()];
    int count = 0;
    for (int row = 0; row < probe.rowCount(); row++) {
      if (probeMatched[row] == wanted) {
        rows[count++] = row;
      }
    }
    if (count == 0) {
      return;
    }
    List<ColumnVector> columns = new ArrayList<>(outputTypes.size());
    for (ColumnVector column : probe.columns()) {
      columns.add(ColumnVectors.take(column, rows, count));
    }
    if (joinType.outputsRight()) {
      for (DataType type : right.outputTypes()) {
        columns.add(ColumnVectorBuilder.constant(type, null, count));
      }
    }
    ready.add(new Batch(columns, count));
  }

  /**
   * Outputs the finished probe batch of a MARK join with each row's mark, or the rows of a
   * NULL_AWARE_ANTI join whose mark is FALSE.
   */
  private void finishMarks() {
    int rowCount = probe.rowCount();
    if (nullAwareMarks != null) {
      nullAwareMarks.markUnknown(probe, probeMatched, probeUnknown, serializer, markSerializer);
    }
    if (unmatchedAreUnknown) {
      Arrays.fill(probeUnknown, true);
    }
    if (joinType == JoinType.MARK) {
      long[] marks = new long[rowCount];
      boolean[] nulls = null;
      for (int row = 0; row < rowCount; row++) {
        if (probeMatched[row]) {
          marks[row] = 1;
        } else if (probeUnknown[row]) {
          if (nulls == null) {
            nulls = new boolean[rowCount];
          }
          nulls[row] = true;
        }
      }
      List<ColumnVector> columns = new ArrayList<>(probe.columns());
      columns.add(new LongVector(DataType.BOOLEAN, marks, nulls, rowCount));
      ready.add(new Batch(columns, rowCount));
      return;
    }
    int[] rows = new int[rowCount];
    int count = 0;
    for (int row = 0; row < rowCount; row++) {
      if (!probeMatched[row] && !probeUnknown[row]) {
        rows[count++] = row;
      }
    }
    if (count == rowCount) {
      ready.add(probe);
    } else if (count > 0) {
      List<ColumnVector> columns = new ArrayList<>(outputTypes.size());
      for (ColumnVector column : probe.columns()) {
        columns.add(ColumnVectors.take(column, rows, count));
      }
      ready.add(new Batch(columns, count));
    }
  }

  /**
   * Queues the next chunk of the build rows output at the end: the unmatched ones (RIGHT, FULL,
   * RIGHT_ANTI) or the matched ones (RIGHT_SEMI); false when there are no more.
   */
  private boolean emitUnmatchedRight() {
    if (!joinType.outputsBuildRowsAtEnd()) {
      return false;
    }
    boolean wanted = joinType == JoinType.RIGHT_SEMI;
    int[] rows = new int[CHUNK];
    int count = 0;
    while (unmatchedCursor < buildRowCount && count < CHUNK) {
      if (rightMatched[unmatchedCursor] == wanted) {
        rows[count++] = unmatchedCursor;
      }
      unmatchedCursor++;
    }
    if (count == 0) {
      return false;
    }
    List<ColumnVector> columns = new ArrayList<>(outputTypes.size());
    if (joinType.outputsLeft()) {
      for (DataType type : left.outputTypes()) {
        columns.add(ColumnVectorBuilder.constant(type, null, count));
      }
    }
    for (ColumnVector column : buildColumns) {
      columns.add(ColumnVectors.take(column, rows, count));
    }
    ready.add(new Batch(columns, count));
    return true;
  }

  @Override
  public void close() {
    try {
      if (partitionJoin != null) {
        partitionJoin.close();
      }
    } finally {
      releasePartitionTurn();
      if (joinedProbePartitions != null) {
        for (SpillPartitions partitions : joinedProbePartitions) {
          partitions.close();
        }
      } else if (probePartitions != null) {
        probePartitions.close();
      }
      if (shared != null) {
        try {
          left.close();
        } finally {
          shared.release(this);
        }
      } else {
        if (buildPartitions != null) {
          buildPartitions.close();
        }
        memory.close();
        try {
          left.close();
        } finally {
          right.close();
        }
      }
    }
  }
}
