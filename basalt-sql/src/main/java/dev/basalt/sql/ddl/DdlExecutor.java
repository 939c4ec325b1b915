package dev.basalt.sql.ddl;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.error.ErrorCode;
import dev.basalt.common.result.UpdateCount;
import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.meta.catalog.AggregationType;
import dev.basalt.meta.catalog.Catalog;
import dev.basalt.meta.catalog.ColumnMeta;
import dev.basalt.meta.catalog.ColumnRewrite;
import dev.basalt.meta.catalog.DefaultValue;
import dev.basalt.meta.catalog.Distribution;
import dev.basalt.meta.catalog.DistributionKind;
import dev.basalt.meta.catalog.GroupCommitProperties;
import dev.basalt.meta.catalog.HiddenColumns;
import dev.basalt.meta.catalog.KeysType;
import dev.basalt.meta.catalog.PartitionKind;
import dev.basalt.meta.catalog.PartitionMeta;
import dev.basalt.meta.catalog.Partitioning;
import dev.basalt.meta.catalog.Passwords;
import dev.basalt.meta.catalog.RowStoreOptions;
import dev.basalt.meta.catalog.TableMeta;
import dev.basalt.meta.partition.AutoPartitions;
import dev.basalt.meta.partition.DynamicPartitionSpec;
import dev.basalt.meta.partition.DynamicPartitions;
import dev.basalt.meta.privilege.Privilege;
import dev.basalt.meta.privilege.PrivilegeLevel;
import dev.basalt.sql.parser.AlterOperation;
import dev.basalt.sql.parser.ColumnDefinition;
import dev.basalt.sql.parser.DistributionClause;
import dev.basalt.sql.parser.PartitionClause;
import dev.basalt.sql.parser.Statement;
import dev.basalt.sql.parser.TableName;
import dev.basalt.sql.parser.UserIdentity;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Executes Doris DDL statements against the {@link Catalog}: databases, tables (CREATE, CREATE
 * LIKE, DROP, TRUNCATE, ALTER columns and names) and users, applying Doris's table-model rules
 * before anything is stored. CTAS, INSERT, SET and USE are the SQL engine's.
 *
 * <p>Segment files that DROP and TRUNCATE leave unreferenced are handed to the {@link
 * SegmentReclaimer}; deleting them once no running query still reads them is its job. Thread safe
 * (the catalog serializes writers); a multi-operation ALTER TABLE applies its operations one
 * catalog commit at a time, stopping at the first error.
 */
public final class DdlExecutor {

  /** Receives segment files that no committed table references any more. */
  @FunctionalInterface
  public interface SegmentReclaimer {
    /** Called after the catalog commit; {@code paths} are as in {@code SegmentFile.path()}. */
    void unreferenced(List<String> paths);
  }

  /** Database names Basalt serves itself; they cannot be created or dropped. */
  public static final Set<String> SYSTEM_DATABASES =
      Set.of("information_schema", "mysql", "__internal_schema");

  private static final int SHORT_KEY_MAX_COLUMNS = 3;
  private static final int SHORT_KEY_MAX_BYTES = 36;

  private final Catalog catalog;
  private final SegmentReclaimer reclaimer;
  private final ColumnRewrite columnRewrite;

  /** An executor that refuses schema changes needing a data rewrite (1235). */
  public DdlExecutor(Catalog catalog, SegmentReclaimer reclaimer) {
    this(catalog, reclaimer, null);
  }

  /**
   * An executor whose MODIFY COLUMN rewrites the table's data through {@code columnRewrite} where
   * the stored values do not read unchanged as the new type ({@link Catalog#modifyColumn(String,
   * String, ColumnMeta, dev.basalt.meta.catalog.ColumnPosition, ColumnRewrite)}); {@code null}
   * refuses such changes.
   */
  public DdlExecutor(Catalog catalog, SegmentReclaimer reclaimer, ColumnRewrite columnRewrite) {
    this.catalog = catalog;
    this.reclaimer = reclaimer;
    this.columnRewrite = columnRewrite;
  }

  /** Whether {@link #execute} handles this kind of statement. */
  public static boolean handles(Statement statement) {
    return switch (statement) {
      case Statement.CreateDatabase s -> true;
      case Statement.DropDatabase s -> true;
      case Statement.CreateTable s -> true;
      case Statement.CreateTableLike s -> true;
      case Statement.DropTable s -> true;
      case Statement.TruncateTable s -> true;
      case Statement.AlterTable s -> true;
      case Statement.CreateUser s -> true;
      case Statement.AlterUser s -> true;
      case Statement.DropUser s -> true;
      case Statement.SetPassword s -> s.user() != null;
      case Statement.CreateRole s -> true;
      case Statement.DropRole s -> true;
      case Statement.GrantPrivileges s -> true;
      case Statement.GrantRoles s -> true;
      case Statement.CreateIndex s -> true;
      case Statement.DropIndex s -> true;
      case Statement.AlterTableKeys s -> true;
      case Statement.DropStats s -> true;
      default -> false;
    };
  }

  /**
   * Executes a DDL statement.
   *
   * @param currentDatabase the session's database for unqualified names, or {@code null}
   * @throws BasaltException with Doris's codes (1046, 1049, 1050, 1007, 1146, 1054, 1060,
   *     UNKNOWN_PROPERTY, INVALID_DDL, UNSUPPORTED ...)
   * @throws IllegalArgumentException for a statement {@link #handles} rejects
   */
  public UpdateCount execute(Statement statement, String currentDatabase) {
    switch (statement) {
      case Statement.CreateIndex index -> {
        // Accepted after checking the table and columns; Basalt builds no secondary indexes yet,
        // so queries run as they would without one (docs/sql.md).
        TableMeta table =
            requireTable(requireDatabase(index.table(), currentDatabase), index.table().name());
        for (String column : index.columns()) {
          if (table.column(column).isEmpty()) {
            throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, column, "index");
          }
        }
      }
      case Statement.DropIndex index ->
          requireTable(requireDatabase(index.table(), currentDatabase), index.table().name());
      case Statement.AlterTableKeys keys ->
          requireTable(requireDatabase(keys.table(), currentDatabase), keys.table().name());
      case Statement.DropStats drop ->
          catalog
              .statistics()
              .remove(
                  requireTable(requireDatabase(drop.table(), currentDatabase), drop.table().name())
                      .id());
      case Statement.CreateDatabase create -> {
        if (SYSTEM_DATABASES.contains(create.name().toLowerCase(Locale.ROOT))) {
          if (create.ifNotExists()) {
            return UpdateCount.OK;
          }
          throw new BasaltException(ErrorCode.DATABASE_EXISTS, create.name());
        }
        catalog.createDatabase(create.name(), create.ifNotExists());
      }
      case Statement.DropDatabase drop -> {
        if (SYSTEM_DATABASES.contains(drop.name().toLowerCase(Locale.ROOT))) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL, "Can not drop system database " + drop.name());
        }
        reclaim(catalog.dropDatabase(drop.name(), drop.ifExists()));
      }
      case Statement.CreateTable create -> createTable(create, currentDatabase, false);
      case Statement.CreateTableLike like -> {
        String database = requireDatabase(like.table(), currentDatabase);
        String sourceDatabase = requireDatabase(like.source(), currentDatabase);
        TableMeta source = requireTable(sourceDatabase, like.source().name());
        catalog.createTable(
            database, copyDefinition(source, like.table().name()), like.ifNotExists());
      }
      case Statement.DropTable drop -> {
        String database = requireDatabase(drop.table(), currentDatabase);
        reclaim(catalog.dropTable(database, drop.table().name(), drop.ifExists()));
      }
      case Statement.TruncateTable truncate -> {
        String database = requireDatabase(truncate.table(), currentDatabase);
        reclaim(catalog.truncateTable(database, truncate.table().name(), truncate.partitions()));
      }
      case Statement.AlterTable alter -> alterTable(alter, currentDatabase);
      case Statement.CreateUser create -> {
        requireAnyHost(create.user());
        catalog.createUser(
            create.user().user(),
            passwordHash(
                authenticationPlugin(create.plugin(), Passwords.NATIVE_PLUGIN),
                create.password(),
                create.hashed()),
            create.ifNotExists());
      }
      case Statement.AlterUser alter -> {
        requireAnyHost(alter.user());
        java.util.Optional<byte[]> current = catalog.passwordHash(alter.user().user());
        if (alter.ifExists() && current.isEmpty()) {
          return UpdateCount.OK;
        }
        String currentPlugin = current.map(Passwords::plugin).orElse(Passwords.NATIVE_PLUGIN);
        catalog.alterUserPassword(
            alter.user().user(),
            passwordHash(
                authenticationPlugin(alter.plugin(), currentPlugin),
                alter.password(),
                alter.hashed()));
      }
      case Statement.DropUser drop -> {
        requireAnyHost(drop.user());
        catalog.dropUser(drop.user().user(), drop.ifExists());
      }
      case Statement.SetPassword set when set.user() != null -> {
        requireAnyHost(set.user());
        setPassword(set, set.user().user());
      }
      case Statement.CreateRole create -> catalog.createRole(create.name(), create.ifNotExists());
      case Statement.DropRole drop -> catalog.dropRole(drop.name(), drop.ifExists());
      case Statement.GrantPrivileges grant -> {
        if (!grant.toRole()) {
          requireAnyHost(grant.grantee());
        }
        PrivilegeLevel level = grant.target().level(currentDatabase);
        List<PrivilegeLevel> columnLevels =
            columnLevels(level, grant.selectColumns(), grant.revoke());
        if (!grant.privileges().isEmpty()) {
          catalog.changePrivileges(
              grant.grantee().user(), grant.toRole(), level, grant.privileges(), grant.revoke());
        }
        for (PrivilegeLevel column : columnLevels) {
          catalog.changePrivileges(
              grant.grantee().user(),
              grant.toRole(),
              column,
              Set.of(Privilege.SELECT),
              grant.revoke());
        }
      }
      case Statement.GrantRoles grant -> {
        requireAnyHost(grant.user());
        catalog.changeRoles(grant.user().user(), grant.roles(), grant.revoke());
      }
      default ->
          throw new IllegalArgumentException(
              "not a DDL statement for DdlExecutor: " + statement.getClass().getSimpleName());
    }
    return UpdateCount.OK;
  }

  /** {@code SET PASSWORD [FOR u] = ...} where the session supplies the user when FOR is absent. */
  public UpdateCount setPassword(Statement.SetPassword statement, String currentUser) {
    String user = statement.user() != null ? statement.user().user() : currentUser;
    // The user keeps its plugin, as MySQL's SET PASSWORD does.
    String plugin =
        catalog.passwordHash(user).map(Passwords::plugin).orElse(Passwords.NATIVE_PLUGIN);
    catalog.alterUserPassword(user, passwordHash(plugin, statement.password(), statement.hashed()));
    return UpdateCount.OK;
  }

  private void reclaim(List<String> paths) {
    if (!paths.isEmpty()) {
      reclaimer.unreferenced(paths);
    }
  }

  /**
   * The plugin {@code IDENTIFIED WITH} names, or {@code otherwise} when it names none; 1524 for a
   * plugin Basalt does not have.
   */
  private static String authenticationPlugin(String named, String otherwise) {
    if (named == null) {
      return otherwise;
    }
    if (!named.equals(Passwords.NATIVE_PLUGIN) && !named.equals(Passwords.CACHING_SHA2_PLUGIN)) {
      throw new BasaltException(ErrorCode.PLUGIN_NOT_LOADED, named);
    }
    return named;
  }

  private static byte[] passwordHash(String plugin, String password, boolean hashed) {
    if (password == null) {
      return new byte[0];
    }
    if (!hashed) {
      return Passwords.hash(plugin, password);
    }
    if (plugin.equals(Passwords.CACHING_SHA2_PLUGIN)) {
      // Basalt's stored form for this plugin is its own (see Passwords); MySQL's '$A$005$...'
      // cannot be checked against it.
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "IDENTIFIED WITH caching_sha2_password AS '...' is not supported: give the password"
              + " with BY 'password'");
    }
    try {
      return Passwords.parseHashText(password);
    } catch (IllegalArgumentException e) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Password hash should be a 41-digit hexadecimal number starting with '*'");
    }
  }

  private static void requireAnyHost(UserIdentity user) {
    if (!user.host().equals("%")) {
      throw new BasaltException(
          ErrorCode.UNSUPPORTED,
          "user hosts other than '%' ('" + user.user() + "'@'" + user.host() + "')");
    }
  }

  private String requireDatabase(TableName table, String currentDatabase) {
    String database = table.databaseOr(currentDatabase);
    if (database == null) {
      throw new BasaltException(ErrorCode.NO_DATABASE_SELECTED);
    }
    if (catalog.database(database).isEmpty()) {
      throw new BasaltException(ErrorCode.UNKNOWN_DATABASE, database);
    }
    return database;
  }

  /**
   * The column levels of {@code GRANT SELECT (c1, c2) ON db.tbl}: the table must exist and have the
   * columns (1054 otherwise; names take the table's spelling), and the level must be a table
   * (MySQL's 1144 otherwise).
   */
  private List<PrivilegeLevel> columnLevels(
      PrivilegeLevel level, List<String> columns, boolean revoke) {
    if (columns.isEmpty()) {
      return List.of();
    }
    if (level.table() == null) {
      throw new BasaltException(ErrorCode.ILLEGAL_GRANT_FOR_TABLE);
    }
    // A REVOKE may name a column (or table) that is gone since the GRANT.
    TableMeta table =
        revoke
            ? catalog.table(level.database(), level.table()).orElse(null)
            : requireTable(level.database(), level.table());
    List<PrivilegeLevel> levels = new ArrayList<>();
    for (String name : columns) {
      String spelled =
          table == null
              ? null
              : table.columns().stream()
                  .map(ColumnMeta::name)
                  .filter(candidate -> candidate.equalsIgnoreCase(name))
                  .findFirst()
                  .orElse(null);
      if (spelled == null && !revoke) {
        throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, name, "column list");
      }
      levels.add(
          PrivilegeLevel.column(level.database(), level.table(), spelled == null ? name : spelled));
    }
    return levels;
  }

  private TableMeta requireTable(String database, String name) {
    return catalog
        .table(database, name)
        .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_TABLE, database + "." + name));
  }

  // ---------------------------------------------------------------- CREATE TABLE

  /**
   * The catalog definition of a CREATE TABLE, with Doris's rules applied: key model and key columns
   * (explicit, or derived when no KEY clause is given), aggregation types, key column types,
   * nullability and AUTO_INCREMENT, partitions, distribution and properties.
   */
  /**
   * CREATE TABLE; a {@code provisional} table is dropped when the catalog is next opened unless
   * {@link Catalog#confirmTable} confirmed it first (CREATE TABLE ... AS SELECT).
   *
   * @return the created table (the existing one for IF NOT EXISTS)
   */
  public TableMeta createTable(
      Statement.CreateTable create, String currentDatabase, boolean provisional) {
    String database = requireDatabase(create.table(), currentDatabase);
    TableMeta created =
        catalog.createTable(database, tableDefinition(create), create.ifNotExists(), provisional);
    // Dynamic partitions exist from the start, as in Doris (then the background pass).
    new DynamicPartitions(catalog, System::currentTimeMillis, java.time.ZoneId.systemDefault(), 0)
        .apply(database, created);
    return catalog.tableById(created.id()).orElse(created);
  }

  public static TableMeta tableDefinition(Statement.CreateTable create) {
    Map<String, String> properties = TableProperties.normalize(create.properties());
    List<ColumnDefinition> definitions = create.columns();
    Set<String> names = new HashSet<>();
    for (ColumnDefinition column : definitions) {
      if (!names.add(column.name().toLowerCase(Locale.ROOT))) {
        throw new BasaltException(ErrorCode.DUPLICATE_COLUMN, column.name());
      }
    }
    KeysType keysType;
    List<String> keyColumns;
    if (create.keys() != null) {
      keysType = create.keys().type();
      keyColumns = create.keys().columns();
      for (String key : keyColumns) {
        if (!names.contains(key.toLowerCase(Locale.ROOT))) {
          throw new BasaltException(ErrorCode.UNKNOWN_COLUMN, key, "key");
        }
      }
    } else if (definitions.stream().anyMatch(c -> c.aggregation() != AggregationType.NONE)) {
      keysType = KeysType.AGG_KEYS;
      keyColumns =
          definitions.stream()
              .filter(c -> c.aggregation() == AggregationType.NONE)
              .map(ColumnDefinition::name)
              .toList();
    } else {
      keysType = KeysType.DUP_KEYS;
      if (definitions.stream().anyMatch(ColumnDefinition::key)) {
        keyColumns =
            definitions.stream().filter(ColumnDefinition::key).map(ColumnDefinition::name).toList();
      } else if ("true".equals(properties.get(TableProperties.DUPLICATE_WITHOUT_KEYS))) {
        keyColumns = List.of();
      } else {
        keyColumns = shortKeyPrefix(definitions);
      }
    }
    for (int i = 0; i < keyColumns.size(); i++) {
      if (i >= definitions.size()
          || !definitions.get(i).name().equalsIgnoreCase(keyColumns.get(i))) {
        String actual = i < definitions.size() ? definitions.get(i).name() : "";
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Key columns should be a ordered prefix of the schema. KeyColumns["
                + i
                + "] (starts from zero) is "
                + keyColumns.get(i)
                + ", but corresponding column is "
                + actual
                + " in the previous columns declaration.");
      }
    }
    List<ColumnMeta> columns = new ArrayList<>();
    boolean autoIncrementSeen = false;
    for (int i = 0; i < definitions.size(); i++) {
      ColumnDefinition definition = definitions.get(i);
      boolean key = i < keyColumns.size();
      ColumnMeta column = column(definition, key, keysType);
      if (column.autoIncrement()) {
        if (autoIncrementSeen) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL, "Only one auto-increment column is allowed in table");
        }
        autoIncrementSeen = true;
      }
      columns.add(column);
    }
    TableMeta probe =
        TableMeta.definition(
            create.table().name(),
            keysType,
            keyColumns,
            columns,
            Partitioning.NONE,
            List.of(),
            new Distribution(DistributionKind.RANDOM, List.of(), 0, true),
            Map.of(),
            "");
    Partitioning partitioning = Partitioning.NONE;
    List<PartitionMeta> partitions = List.of();
    if (create.partitioning() != null) {
      partitioning =
          new Partitioning(
              create.partitioning().kind(),
              canonicalNames(probe, create.partitioning().columns(), "partition"),
              create.partitioning().auto(),
              create.partitioning().autoTimeUnit());
      if (partitioning.auto()) {
        AutoPartitions.validate(
            partitioning,
            partitioning.columns().stream()
                .map(name -> probe.column(name).orElseThrow().type())
                .toList());
      }
      boolean dynamic =
          create.properties() != null
              && "true".equalsIgnoreCase(create.properties().get("dynamic_partition.enable"));
      partitions =
          partitions(
              probe,
              partitioning,
              create.partitioning().partitions(),
              dynamic || partitioning.auto());
      if (dynamic) {
        // Validated now, so a bad setting fails the CREATE rather than every later pass.
        DynamicPartitionSpec.of(
            create.properties(),
            partitioning,
            partitioning.columns().size() == 1
                ? probe.column(partitioning.columns().get(0)).orElseThrow().type()
                : null);
      }
    }
    Distribution distribution = distribution(probe, create.distribution());
    if (keysType == KeysType.UNIQUE_KEYS) {
      properties.putIfAbsent(TableProperties.MERGE_ON_WRITE, "true");
    }
    UniqueKeyProperties.check(keysType, probe, properties);
    DataType hiddenSequence = UniqueKeyProperties.hiddenSequenceType(properties);
    if (hiddenSequence != null) {
      columns.add(HiddenColumns.storedSequence(hiddenSequence));
    }
    String rowStoreColumns = properties.get(RowStoreOptions.ROW_STORE_COLUMNS);
    if (rowStoreColumns != null) {
      for (String name : RowStoreOptions.names(rowStoreColumns)) {
        if (probe.column(name).isEmpty()) {
          throw new BasaltException(
              ErrorCode.UNKNOWN_COLUMN, name, RowStoreOptions.ROW_STORE_COLUMNS);
        }
      }
    }
    return TableMeta.definition(
        create.table().name(),
        keysType,
        keyColumns.stream().map(k -> probe.column(k).orElseThrow().name()).toList(),
        columns,
        partitioning,
        partitions,
        distribution,
        properties,
        create.comment());
  }

  /**
   * Refuses an ALTER naming the stored hidden sequence column (as Doris refuses schema changes on
   * hidden columns): it must stay the last column (HiddenColumns.visible).
   *
   * @param name a column name from the statement, or null
   */
  private static void refuseHiddenColumn(String name) {
    if (HiddenColumns.SEQUENCE.equalsIgnoreCase(name)) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Can not change the hidden column " + HiddenColumns.SEQUENCE);
    }
  }

  /**
   * Doris's automatic sort key for a DUPLICATE table without KEY clause: leading columns, at most
   * three and 36 bytes, stopping after the first CHAR/VARCHAR and before a type that cannot be a
   * key.
   */
  private static List<String> shortKeyPrefix(List<ColumnDefinition> definitions) {
    List<String> keys = new ArrayList<>();
    int bytes = 0;
    for (ColumnDefinition column : definitions) {
      if (!canBeKey(column.type())) {
        break;
      }
      bytes += keyWidth(column.type());
      if (keys.size() >= SHORT_KEY_MAX_COLUMNS || bytes > SHORT_KEY_MAX_BYTES) {
        if (keys.isEmpty() && column.type().kind().isString()) {
          keys.add(column.name());
        }
        break;
      }
      keys.add(column.name());
      if (column.type().kind().isString()) {
        break;
      }
    }
    if (keys.isEmpty()) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "The olap table first column could not be float, double, string or array, struct, map, please use decimal or varchar instead.");
    }
    return keys;
  }

  private static int keyWidth(DataType type) {
    return switch (type.kind()) {
      case BOOLEAN, TINYINT -> 1;
      case SMALLINT -> 2;
      case INT, DATE -> 4;
      case BIGINT, DATETIME -> 8;
      case LARGEINT -> 16;
      case DECIMAL -> type.precision() <= 9 ? 4 : type.precision() <= 18 ? 8 : 16;
      case CHAR, VARCHAR -> type.length();
      default -> 0;
    };
  }

  private static boolean canBeKey(DataType type) {
    return type.kind() != TypeKind.FLOAT
        && type.kind() != TypeKind.DOUBLE
        && type.kind() != TypeKind.STRING
        && !type.kind().isSketch();
  }

  /**
   * Doris's rules for BITMAP, HLL and QUANTILE_STATE columns: never a key; HLL and QUANTILE_STATE
   * only in AGGREGATE tables, BITMAP also in UNIQUE ones; in an AGGREGATE table with their own
   * union function (checked by {@link #checkAggregationType}).
   */
  private static void checkSketchColumn(String name, DataType type, boolean key, KeysType keys) {
    if (key) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Key column can not set complex type:" + name);
    }
    if (type.kind() == TypeKind.BITMAP && keys == KeysType.DUP_KEYS) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "column:" + name + " must be used in AGG_KEYS or UNIQUE_KEYS.");
    }
    if (type.kind() != TypeKind.BITMAP && keys != KeysType.AGG_KEYS) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "column:" + name + " must be used in AGG_KEYS.");
    }
  }

  /** A catalog column from a definition, checked against the table model. */
  private static ColumnMeta column(ColumnDefinition definition, boolean key, KeysType keysType) {
    String name = definition.name();
    AggregationType aggregation = definition.aggregation();
    if (definition.type().kind().isSketch()) {
      checkSketchColumn(name, definition.type(), key, keysType);
    }
    if (key) {
      if (!canBeKey(definition.type())) {
        String kind =
            definition.type().kind() == TypeKind.STRING ? "String Type" : "Float or double";
        throw new BasaltException(
            ErrorCode.INVALID_DDL, kind + " should not be used in key column[" + name + "].");
      }
      if (aggregation != AggregationType.NONE) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Key column " + name + " should not have aggregation type " + aggregation);
      }
    } else if (keysType == KeysType.AGG_KEYS) {
      if (aggregation == AggregationType.NONE) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "The column "
                + name
                + " in AGGREGATE table must be key column or have an aggregation type");
      }
      checkAggregationType(name, definition.type(), aggregation);
    } else if (aggregation != AggregationType.NONE) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "The column "
              + name
              + " in "
              + keysType.sqlName()
              + " table can not have aggregation type "
              + aggregation);
    }
    // Doris makes sketch columns NOT NULL whatever the definition says; a missing value is the
    // empty sketch (ColumnDefaults).
    boolean nullable =
        (definition.nullable() == null || definition.nullable())
            && !definition.type().kind().isSketch();
    DataType type = definition.type();
    if (definition.autoIncrement()) {
      if (!type.kind().isInteger() || type.kind() == TypeKind.LARGEINT) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "the auto increment must be BIGINT type. (Write the column as BIGINT NOT NULL"
                + " AUTO_INCREMENT.)");
      }
      // Doris allows only BIGINT; MySQL dumps write INT(11) AUTO_INCREMENT, so smaller integer
      // types are widened (docs/sql.md) and such dumps load unchanged.
      type = DataType.BIGINT;
      if (keysType == KeysType.AGG_KEYS) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "the auto increment column "
                + name
                + " is only supported in DUPLICATE KEY and UNIQUE KEY tables.");
      }
      if (definition.autoIncrementStart() < 0) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "the start value of the auto increment column "
                + name
                + " must be >= 0: "
                + definition.autoIncrementStart());
      }
      if (Boolean.TRUE.equals(definition.nullable())) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "the auto increment column should be NOT NULL.");
      }
      if (definition.defaultValue().kind() != DefaultValue.Kind.NONE) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "the auto increment column can't have default value.");
      }
      nullable = false;
    }
    DefaultValue defaultValue = definition.defaultValue();
    if (defaultValue.kind() == DefaultValue.Kind.NULL && !nullable) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Can not set null default value to non nullable column: " + name);
    }
    if (defaultValue.kind() == DefaultValue.Kind.CURRENT_TIMESTAMP
        && definition.type().kind() != TypeKind.DATETIME) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Types other than DATETIME cannot use current_timestamp as the default value");
    }
    if (defaultValue.kind() == DefaultValue.Kind.LITERAL && definition.type().kind().isNumeric()) {
      try {
        new java.math.BigDecimal(defaultValue.literal().strip());
      } catch (NumberFormatException e) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Invalid default value for '" + name + "': " + defaultValue.literal());
      }
    }
    return new ColumnMeta(
        0,
        name,
        type,
        nullable,
        key,
        aggregation,
        defaultValue,
        definition.comment(),
        definition.autoIncrement(),
        definition.autoIncrementStart());
  }

  private static void checkAggregationType(
      String name, DataType type, AggregationType aggregation) {
    TypeKind sketchOfAggregation =
        switch (aggregation) {
          case HLL_UNION -> TypeKind.HLL;
          case BITMAP_UNION -> TypeKind.BITMAP;
          case QUANTILE_UNION -> TypeKind.QUANTILE_STATE;
          default -> null;
        };
    if ((type.kind().isSketch() || sketchOfAggregation != null)
        && type.kind() != sketchOfAggregation) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Aggregate type "
              + aggregation
              + " is not compatible with primitive type "
              + type.sqlName()
              + " of column "
              + name);
    }
    switch (aggregation) {
      case SUM -> {
        if (!type.kind().isNumeric()) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "Aggregate type SUM is not compatible with primitive type "
                  + type.sqlName()
                  + " of column "
                  + name);
        }
      }
      case MIN, MAX -> {
        if (type.kind() == TypeKind.STRING) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "Aggregate type "
                  + aggregation
                  + " is not compatible with primitive type "
                  + type.sqlName()
                  + " of column "
                  + name);
        }
      }
      default -> {}
    }
  }

  private static List<String> canonicalNames(TableMeta table, List<String> names, String role) {
    List<String> result = new ArrayList<>();
    for (String name : names) {
      ColumnMeta column =
          table
              .column(name)
              .orElseThrow(() -> new BasaltException(ErrorCode.UNKNOWN_COLUMN, name, role));
      result.add(column.name());
    }
    return result;
  }

  /**
   * @param mayBeEmpty whether the table may start without partitions (dynamic partitions create
   *     them)
   */
  private static List<PartitionMeta> partitions(
      TableMeta table,
      Partitioning partitioning,
      List<PartitionClause.PartitionDefinition> definitions,
      boolean mayBeEmpty) {
    boolean range = partitioning.kind() == PartitionKind.RANGE;
    List<DataType> types = new ArrayList<>();
    for (String name : partitioning.columns()) {
      ColumnMeta column = table.column(name).orElseThrow();
      if (table.keysType() != KeysType.DUP_KEYS && !column.key()) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "The partition column could not be aggregated column: " + name);
      }
      if (!PartitionValues.allowed(column.type(), range)) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Column["
                + name
                + "] type "
                + column.type().sqlName()
                + " cannot be a "
                + partitioning.kind()
                + " partition column");
      }
      types.add(column.type());
    }
    List<String> columns = partitioning.columns();
    if (definitions.isEmpty() && !mayBeEmpty) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "a partitioned table needs at least one partition");
    }
    List<PartitionMeta> partitions = new ArrayList<>();
    List<String> previousUpper = List.of();
    for (PartitionClause.PartitionDefinition definition : definitions) {
      switch (definition.values()) {
        case PartitionClause.LessThan lessThan -> {
          requireRange(range, definition.name());
          checkTuple(columns, types, lessThan.upperBound(), definition.name(), false);
          if (previousUpper == null) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL,
                "Partition " + definition.name() + " comes after a MAXVALUE partition");
          }
          if (!lessThan.upperBound().isEmpty()
              && !previousUpper.isEmpty()
              && PartitionValues.compare(columns, types, lessThan.upperBound(), previousUpper)
                  <= 0) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL,
                "The upper values of partition "
                    + definition.name()
                    + " must be larger than those of the previous partition");
          }
          partitions.add(
              PartitionMeta.range(definition.name(), previousUpper, lessThan.upperBound()));
          previousUpper = lessThan.upperBound().isEmpty() ? null : lessThan.upperBound();
        }
        case PartitionClause.FixedRange fixed -> {
          requireRange(range, definition.name());
          checkTuple(columns, types, fixed.lowerBound(), definition.name(), false);
          checkTuple(columns, types, fixed.upperBound(), definition.name(), false);
          if (!fixed.upperBound().isEmpty()
              && PartitionValues.compare(columns, types, fixed.lowerBound(), fixed.upperBound())
                  >= 0) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL,
                "The lower values of partition "
                    + definition.name()
                    + " must be less than its upper values");
          }
          List<String> lower =
              isTypeMinimum(types, fixed.lowerBound(), columns) ? List.of() : fixed.lowerBound();
          partitions.add(PartitionMeta.range(definition.name(), lower, fixed.upperBound()));
          previousUpper = fixed.upperBound().isEmpty() ? null : fixed.upperBound();
        }
        case PartitionClause.In in -> {
          if (range) {
            throw new BasaltException(
                ErrorCode.INVALID_DDL,
                "Partition " + definition.name() + ": VALUES IN needs PARTITION BY LIST");
          }
          for (List<String> tuple : in.values()) {
            checkTuple(columns, types, tuple, definition.name(), true);
          }
          partitions.add(PartitionMeta.list(definition.name(), in.values()));
        }
      }
    }
    return partitions;
  }

  /**
   * The bounds of a partition ALTER TABLE ADD [TEMPORARY] PARTITION adds, checked against {@code
   * existingPartitions} (the table's partitions, or for a temporary partition its temporary
   * partitions: those may overlap the formal ones but not each other) as Doris does: {@code VALUES
   * LESS THAN (u)} starts where the nearest partition below {@code u} ends (or at the type's
   * minimum); a RANGE partition must not intersect another, a LIST value must not be in another
   * partition.
   */
  private static PartitionMeta addedPartition(
      TableMeta table,
      List<PartitionMeta> existingPartitions,
      PartitionClause.PartitionDefinition definition) {
    Partitioning partitioning = table.partitioning();
    if (partitioning.kind() == PartitionKind.NONE) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Table " + table.name() + " is not a partitioned table");
    }
    List<String> columns = partitioning.columns();
    List<DataType> types = new ArrayList<>();
    for (String name : columns) {
      types.add(table.column(name).orElseThrow().type());
    }
    if (partitioning.kind() == PartitionKind.LIST) {
      if (!(definition.values() instanceof PartitionClause.In in)) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Partition " + definition.name() + ": a LIST partition needs VALUES IN");
      }
      for (List<String> tuple : in.values()) {
        checkTuple(columns, types, tuple, definition.name(), true);
        for (PartitionMeta existing : existingPartitions) {
          for (List<String> other : existing.listValues()) {
            if (PartitionValues.compare(columns, types, tuple, other) == 0) {
              throw new BasaltException(
                  ErrorCode.INVALID_DDL,
                  "The value "
                      + tuple
                      + " of partition "
                      + definition.name()
                      + " is already in partition "
                      + existing.name());
            }
          }
        }
      }
      return PartitionMeta.list(definition.name(), in.values());
    }
    List<String> lower;
    List<String> upper;
    switch (definition.values()) {
      case PartitionClause.LessThan lessThan -> {
        checkTuple(columns, types, lessThan.upperBound(), definition.name(), false);
        upper = lessThan.upperBound();
        lower = List.of();
        for (PartitionMeta existing : existingPartitions) {
          List<String> end = existing.upperBound();
          if (!end.isEmpty()
              && (upper.isEmpty() || PartitionValues.compare(columns, types, end, upper) <= 0)
              && (lower.isEmpty() || PartitionValues.compare(columns, types, end, lower) > 0)) {
            lower = end;
          }
        }
      }
      case PartitionClause.FixedRange fixed -> {
        checkTuple(columns, types, fixed.lowerBound(), definition.name(), false);
        checkTuple(columns, types, fixed.upperBound(), definition.name(), false);
        lower = isTypeMinimum(types, fixed.lowerBound(), columns) ? List.of() : fixed.lowerBound();
        upper = fixed.upperBound();
      }
      case PartitionClause.In in ->
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "Partition " + definition.name() + ": VALUES IN needs PARTITION BY LIST");
    }
    if (!below(columns, types, lower, upper)) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "The lower values of partition "
              + definition.name()
              + " must be less than its upper values (a partition already ends at "
              + upper
              + ")");
    }
    for (PartitionMeta existing : existingPartitions) {
      if (below(columns, types, lower, existing.upperBound())
          && below(columns, types, existing.lowerBound(), upper)) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "The range ["
                + (lower.isEmpty() ? "MINVALUE" : String.join(", ", lower))
                + ", "
                + (upper.isEmpty() ? "MAXVALUE" : String.join(", ", upper))
                + ") of partition "
                + definition.name()
                + " intersects partition "
                + existing.name());
      }
    }
    return PartitionMeta.range(definition.name(), lower, upper);
  }

  /**
   * {@code REPLACE PARTITION (p, ...) WITH TEMPORARY PARTITION (tp, ...)}: with {@code
   * strict_range} (the default) the temporary partitions must cover exactly what the replaced ones
   * cover (RANGE: the same union of ranges; LIST: the same values); without it they only must not
   * overlap the partitions that stay. {@code use_temp_partition_name} (default false) keeps the
   * temporary partitions' names even when as many partitions are replaced as replace them. Checked
   * again under the catalog's lock, so a concurrent change cannot slip in between.
   *
   * @return the replaced partitions' segment paths, for the garbage collector
   */
  private List<String> replacePartitions(
      String database, TableMeta table, AlterOperation.ReplacePartitions replace) {
    boolean strictRange = true;
    boolean useTemporaryNames = false;
    for (Map.Entry<String, String> property : replace.properties().entrySet()) {
      String key = property.getKey().toLowerCase(Locale.ROOT);
      if (!key.equals("strict_range") && !key.equals("use_temp_partition_name")) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Unknown properties: {"
                + property.getKey()
                + "="
                + property.getValue()
                + "}; REPLACE PARTITION takes strict_range and use_temp_partition_name");
      }
      String value = property.getValue().strip().toLowerCase(Locale.ROOT);
      if (!value.equals("true") && !value.equals("false")) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Invalid " + key + " property value: " + value + ", it must be true or false");
      }
      if (key.equals("strict_range")) {
        strictRange = value.equals("true");
      } else {
        useTemporaryNames = value.equals("true");
      }
    }
    boolean strict = strictRange;
    return catalog.replacePartitions(
        database,
        table.name(),
        replace.partitions(),
        replace.temporaryPartitions(),
        useTemporaryNames,
        (replaced, replacing) -> checkReplacement(table, replaced, replacing, strict));
  }

  private static void checkReplacement(
      TableMeta table,
      List<PartitionMeta> replaced,
      List<PartitionMeta> replacing,
      boolean strictRange) {
    List<String> columns = table.partitioning().columns();
    List<DataType> types = new ArrayList<>();
    for (String name : columns) {
      types.add(table.column(name).orElseThrow().type());
    }
    if (table.partitioning().kind() == PartitionKind.LIST) {
      if (strictRange) {
        List<List<String>> old = sortedValues(columns, types, replaced);
        List<List<String>> fresh = sortedValues(columns, types, replacing);
        boolean same = old.size() == fresh.size();
        for (int i = 0; same && i < old.size(); i++) {
          same = PartitionValues.compare(columns, types, old.get(i), fresh.get(i)) == 0;
        }
        if (!same) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "The values of temporary partitions "
                  + names(replacing)
                  + " are not the values of partitions "
                  + names(replaced)
                  + "; give PROPERTIES (\"strict_range\" = \"false\") to replace anyway");
        }
        return;
      }
      for (PartitionMeta staying : table.partitions()) {
        if (replaced.contains(staying)) {
          continue;
        }
        for (PartitionMeta partition : replacing) {
          for (List<String> tuple : partition.listValues()) {
            for (List<String> other : staying.listValues()) {
              if (PartitionValues.compare(columns, types, tuple, other) == 0) {
                throw new BasaltException(
                    ErrorCode.INVALID_DDL,
                    "The value "
                        + tuple
                        + " of temporary partition "
                        + partition.name()
                        + " is in partition "
                        + staying.name()
                        + ", which is not replaced");
              }
            }
          }
        }
      }
      return;
    }
    if (strictRange) {
      if (!coveredRanges(columns, types, replaced)
          .equals(coveredRanges(columns, types, replacing))) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "The ranges of temporary partitions "
                + names(replacing)
                + " do not cover exactly the ranges of partitions "
                + names(replaced)
                + "; give PROPERTIES (\"strict_range\" = \"false\") to replace anyway");
      }
      return;
    }
    for (PartitionMeta staying : table.partitions()) {
      if (replaced.contains(staying)) {
        continue;
      }
      for (PartitionMeta partition : replacing) {
        if (below(columns, types, partition.lowerBound(), staying.upperBound())
            && below(columns, types, staying.lowerBound(), partition.upperBound())) {
          throw new BasaltException(
              ErrorCode.INVALID_DDL,
              "The range of temporary partition "
                  + partition.name()
                  + " intersects partition "
                  + staying.name()
                  + ", which is not replaced");
        }
      }
    }
  }

  private static List<String> names(List<PartitionMeta> partitions) {
    return partitions.stream().map(PartitionMeta::name).toList();
  }

  /** The LIST values of {@code partitions}, sorted. */
  private static List<List<String>> sortedValues(
      List<String> columns, List<DataType> types, List<PartitionMeta> partitions) {
    List<List<String>> values = new ArrayList<>();
    for (PartitionMeta partition : partitions) {
      values.addAll(partition.listValues());
    }
    values.sort((left, right) -> PartitionValues.compare(columns, types, left, right));
    return values;
  }

  /**
   * The union of the RANGE partitions' ranges as disjoint intervals in order, each as its lower and
   * upper bound normalized to text (an empty bound: the minimum or MAXVALUE), so two unions can be
   * compared with equals.
   */
  private static List<List<String>> coveredRanges(
      List<String> columns, List<DataType> types, List<PartitionMeta> partitions) {
    List<PartitionMeta> sorted = new ArrayList<>(partitions);
    sorted.sort(
        (left, right) ->
            left.lowerBound().isEmpty()
                ? (right.lowerBound().isEmpty() ? 0 : -1)
                : right.lowerBound().isEmpty()
                    ? 1
                    : PartitionValues.compare(
                        columns, types, left.lowerBound(), right.lowerBound()));
    List<List<String>> intervals = new ArrayList<>();
    List<String> lower = null;
    List<String> upper = null;
    for (PartitionMeta partition : sorted) {
      if (lower != null
          && !upper.isEmpty()
          && !partition.lowerBound().isEmpty()
          && PartitionValues.compare(columns, types, partition.lowerBound(), upper) <= 0) {
        if (partition.upperBound().isEmpty()
            || PartitionValues.compare(columns, types, partition.upperBound(), upper) > 0) {
          upper = partition.upperBound();
        }
        continue;
      }
      if (lower != null) {
        intervals.add(
            List.of(normalized(columns, types, lower), normalized(columns, types, upper)));
      }
      lower = partition.lowerBound();
      upper = partition.upperBound();
    }
    if (lower != null) {
      intervals.add(List.of(normalized(columns, types, lower), normalized(columns, types, upper)));
    }
    return intervals;
  }

  /** A bound as comparable text: each value parsed and printed back, "" for an empty bound. */
  private static String normalized(List<String> columns, List<DataType> types, List<String> bound) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < bound.size(); i++) {
      values.add(String.valueOf(PartitionValues.parse(columns.get(i), types.get(i), bound.get(i))));
    }
    return String.join(",", values);
  }

  /** Whether a lower bound (empty: the minimum) lies below an upper bound (empty: MAXVALUE). */
  private static boolean below(
      List<String> columns, List<DataType> types, List<String> lower, List<String> upper) {
    return upper.isEmpty()
        || lower.isEmpty()
        || PartitionValues.compare(columns, types, lower, upper) < 0;
  }

  /** Whether a lower bound is the types' minimum, which the catalog stores as an empty bound. */
  private static boolean isTypeMinimum(
      List<DataType> types, List<String> lower, List<String> columns) {
    List<String> minimums = types.stream().map(PartitionValues::minimum).toList();
    return lower.isEmpty() || PartitionValues.compare(columns, types, lower, minimums) == 0;
  }

  private static void requireRange(boolean range, String partition) {
    if (!range) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Partition " + partition + ": a LIST partition needs VALUES IN");
    }
  }

  private static void checkTuple(
      List<String> columns,
      List<DataType> types,
      List<String> values,
      String partition,
      boolean exact) {
    if (values.size() > types.size() || (exact && values.size() != types.size())) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Partition "
              + partition
              + " has "
              + values.size()
              + " values for "
              + types.size()
              + " partition columns");
    }
    for (int i = 0; i < values.size(); i++) {
      PartitionValues.parse(columns.get(i), types.get(i), values.get(i));
    }
  }

  private static Distribution distribution(TableMeta table, DistributionClause clause) {
    if (clause == null) {
      // Doris 2.1+: DUPLICATE tables default to RANDOM; AGGREGATE/UNIQUE hash their keys.
      if (table.keysType() == KeysType.DUP_KEYS) {
        return new Distribution(DistributionKind.RANDOM, List.of(), 0, true);
      }
      return new Distribution(DistributionKind.HASH, table.keyColumns(), 0, true);
    }
    if (clause.kind() == DistributionKind.RANDOM) {
      if (table.keysType() == KeysType.UNIQUE_KEYS) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "Random distribution for unique key table is unsupported");
      }
      if (table.keysType() == KeysType.AGG_KEYS
          && table.columns().stream()
              .anyMatch(
                  c ->
                      c.aggregation() == AggregationType.REPLACE
                          || c.aggregation() == AggregationType.REPLACE_IF_NOT_NULL)) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Cannot set 'REPLACE' or 'REPLACE_IF_NOT_NULL' aggregation type on table with random distribution");
      }
      return new Distribution(
          DistributionKind.RANDOM, List.of(), clause.buckets(), clause.autoBuckets());
    }
    List<String> columns = canonicalNames(table, clause.columns(), "distribution");
    for (String name : columns) {
      ColumnMeta column = table.column(name).orElseThrow();
      if (table.keysType() != KeysType.DUP_KEYS && !column.key()) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL, "Distribution column[" + name + "] is not key column");
      }
      if (column.type().kind() == TypeKind.FLOAT || column.type().kind() == TypeKind.DOUBLE) {
        throw new BasaltException(
            ErrorCode.INVALID_DDL,
            "Float or double can not used as a distribution column: " + name);
      }
    }
    return new Distribution(DistributionKind.HASH, columns, clause.buckets(), clause.autoBuckets());
  }

  /** A definition equal to {@code source} under a new name (CREATE TABLE ... LIKE). */
  private static TableMeta copyDefinition(TableMeta source, String name) {
    List<PartitionMeta> partitions =
        source.partitioning().kind() == PartitionKind.NONE
            ? List.of()
            : source.partitions().stream()
                .map(
                    p ->
                        new PartitionMeta(
                            0,
                            p.name(),
                            p.lowerBound(),
                            p.upperBound(),
                            p.listValues(),
                            1,
                            0,
                            List.of()))
                .toList();
    Distribution distribution = source.distribution();
    Distribution copied =
        new Distribution(
            distribution.kind(),
            distribution.columns(),
            distribution.autoBuckets() ? 0 : distribution.bucketCount(),
            distribution.autoBuckets());
    return TableMeta.definition(
        name,
        source.keysType(),
        source.keyColumns(),
        source.columns(),
        source.partitioning(),
        partitions,
        copied,
        source.properties(),
        source.comment());
  }

  // ---------------------------------------------------------------- ALTER TABLE

  private void alterTable(Statement.AlterTable alter, String currentDatabase) {
    String database = requireDatabase(alter.table(), currentDatabase);
    String tableName = alter.table().name();
    for (AlterOperation operation : alter.operations()) {
      TableMeta table = requireTable(database, tableName);
      switch (operation) {
        case AlterOperation.AddColumns add -> {
          for (ColumnDefinition definition : add.columns()) {
            if (definition.defaultValue() != null
                && definition.defaultValue().kind() == DefaultValue.Kind.CURRENT_TIMESTAMP) {
              // Rows already stored would have to read one fixed time, which the metadata-only
              // ADD COLUMN has nowhere to keep yet; refuse rather than show a moving value.
              throw new BasaltException(
                  ErrorCode.UNSUPPORTED, "ADD COLUMN with DEFAULT CURRENT_TIMESTAMP");
            }
            refuseHiddenColumn(definition.name());
            refuseHiddenColumn(add.position().afterColumn());
            ColumnMeta column = addedColumn(table, definition);
            catalog.addColumn(database, tableName, column, add.position());
            table = requireTable(database, tableName);
          }
        }
        case AlterOperation.DropColumn drop -> {
          refuseHiddenColumn(drop.name());
          UniqueKeyProperties.checkSequenceColumnChange(table, drop.name(), "drop", null);
          catalog.dropColumn(database, tableName, drop.name());
        }
        case AlterOperation.ModifyColumn modify -> {
          String currentName = tableName;
          ColumnMeta current =
              table
                  .column(modify.column().name())
                  .orElseThrow(
                      () ->
                          new BasaltException(
                              ErrorCode.UNKNOWN_COLUMN, modify.column().name(), currentName));
          ColumnDefinition definition = modify.column();
          refuseHiddenColumn(current.name());
          refuseHiddenColumn(modify.position().afterColumn());
          UniqueKeyProperties.checkSequenceColumnChange(
              table, current.name(), "modify", definition.type());
          AggregationType aggregation =
              definition.aggregation() == AggregationType.NONE
                  ? current.aggregation()
                  : definition.aggregation();
          ColumnDefinition effective =
              new ColumnDefinition(
                  current.name(),
                  definition.type(),
                  current.key(),
                  aggregation,
                  definition.nullable(),
                  definition.autoIncrement(),
                  definition.autoIncrementStart(),
                  definition.defaultValue(),
                  definition.comment());
          reclaim(
              catalog
                  .modifyColumn(
                      database,
                      tableName,
                      column(effective, current.key(), table.keysType()),
                      modify.position(),
                      columnRewrite)
                  .retiredPaths());
        }
        case AlterOperation.ReorderColumns reorder -> {
          reorder.columns().forEach(DdlExecutor::refuseHiddenColumn);
          catalog.reorderColumns(database, tableName, reorder.columns());
        }
        case AlterOperation.RenameTable rename -> {
          catalog.renameTable(database, tableName, rename.newName());
          tableName = rename.newName();
        }
        case AlterOperation.RenameColumn rename -> {
          refuseHiddenColumn(rename.oldName());
          refuseHiddenColumn(rename.newName());
          UniqueKeyProperties.checkSequenceColumnChange(table, rename.oldName(), "rename", null);
          catalog.renameColumn(database, tableName, rename.oldName(), rename.newName());
        }
        case AlterOperation.AddPartition add -> {
          if (add.ifNotExists() && table.partition(add.partition().name()).isPresent()) {
            continue;
          }
          catalog.addPartition(
              database,
              tableName,
              addedPartition(table, table.partitions(), add.partition()),
              add.buckets());
        }
        case AlterOperation.DropPartition drop ->
            reclaim(catalog.dropPartition(database, tableName, drop.name(), drop.ifExists()));
        case AlterOperation.AddTemporaryPartition add ->
            catalog.addTemporaryPartition(
                database,
                tableName,
                addedPartition(table, table.temporaryPartitions(), add.partition()),
                add.buckets());
        case AlterOperation.DropTemporaryPartition drop ->
            reclaim(
                catalog.dropTemporaryPartition(database, tableName, drop.name(), drop.ifExists()));
        case AlterOperation.ReplacePartitions replace ->
            reclaim(replacePartitions(database, table, replace));
        case AlterOperation.SetProperties set -> setProperties(database, table, set.properties());
      }
    }
  }

  /**
   * {@code ALTER TABLE t SET ("name" = "value", ...)}: the properties Basalt lets change, validated
   * (others: 1235). The {@code dynamic_partition.*} ones: the merged settings are validated as at
   * CREATE TABLE when they enable dynamic partitions, stored, and applied at once (partitions
   * created or dropped now, as Doris's scheduler does after such an ALTER). The group commit ones
   * ({@code group_commit_interval_ms}, {@code group_commit_data_bytes}): the table's next group
   * uses them (the server commits the open group before an ALTER). Doris changes more (replication,
   * compaction); Basalt refuses those.
   */
  private void setProperties(String database, TableMeta table, Map<String, String> given) {
    Map<String, String> dynamic = new java.util.LinkedHashMap<>();
    Map<String, String> altered = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> property : given.entrySet()) {
      String name = property.getKey().toLowerCase(Locale.ROOT);
      if (name.startsWith("dynamic_partition.")) {
        dynamic.put(property.getKey(), property.getValue());
      } else if (name.equals(GroupCommitProperties.INTERVAL_MS)
          || name.equals(GroupCommitProperties.DATA_BYTES)) {
        altered.put(name, String.valueOf(GroupCommitProperties.parse(name, property.getValue())));
      } else {
        throw new BasaltException(
            ErrorCode.UNSUPPORTED,
            "ALTER TABLE SET (\""
                + property.getKey()
                + "\"); only dynamic_partition.* properties, \""
                + GroupCommitProperties.INTERVAL_MS
                + "\" and \""
                + GroupCommitProperties.DATA_BYTES
                + "\" can be changed");
      }
    }
    altered.putAll(TableProperties.normalize(dynamic));
    if (!dynamic.isEmpty()) {
      Map<String, String> merged = new java.util.TreeMap<>(table.properties());
      merged.putAll(altered);
      if ("true".equalsIgnoreCase(merged.get("dynamic_partition.enable"))) {
        Partitioning partitioning = table.partitioning();
        DynamicPartitionSpec.of(
            merged,
            partitioning,
            partitioning.columns().size() == 1
                ? table.column(partitioning.columns().get(0)).orElseThrow().type()
                : null);
      }
    }
    TableMeta changed = catalog.setTableProperties(database, table.name(), altered);
    if (!dynamic.isEmpty()) {
      new DynamicPartitions(catalog, System::currentTimeMillis, java.time.ZoneId.systemDefault(), 0)
          .apply(database, changed);
    }
  }

  private static ColumnMeta addedColumn(TableMeta table, ColumnDefinition definition) {
    boolean key =
        definition.key()
            || (table.keysType() == KeysType.AGG_KEYS
                && definition.aggregation() == AggregationType.NONE);
    if (key && table.keysType() == KeysType.UNIQUE_KEYS) {
      throw new BasaltException(ErrorCode.UNSUPPORTED, "adding a key column to a UNIQUE table");
    }
    if (definition.autoIncrement()) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL, "Can not add auto-increment column " + definition.name());
    }
    if (Boolean.FALSE.equals(definition.nullable())
        && definition.defaultValue().kind() == DefaultValue.Kind.NONE) {
      throw new BasaltException(
          ErrorCode.INVALID_DDL,
          "Can not add column "
              + definition.name()
              + " which is not nullable and has no default value");
    }
    return column(definition, key, table.keysType());
  }
}
