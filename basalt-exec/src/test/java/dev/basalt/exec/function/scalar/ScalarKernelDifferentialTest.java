package dev.basalt.exec.function.scalar;

import static org.assertj.core.api.Assertions.assertThat;

import dev.basalt.common.type.DataType;
import dev.basalt.common.type.TypeKind;
import dev.basalt.common.vector.ColumnVector;
import dev.basalt.common.vector.ColumnVectorBuilder;
import dev.basalt.exec.function.EvaluationContext;
import dev.basalt.exec.function.FunctionRegistry;
import dev.basalt.exec.function.ScalarFunction;
import dev.basalt.exec.function.ScalarFunctionResolver;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Typed scalar kernels ({@link VectorKernels}) against the row-wise bodies they replace, on seeded
 * random vectors with NULLs, constant vectors and edge values. For the date fields the reference is
 * the same function called on the values written as strings, which takes the row-wise path with the
 * identical {@link LocalDateTime}; for the string functions it is the family's row-wise resolver.
 */
class ScalarKernelDifferentialTest {
  private static final long SEED = 20261207L;
  private static final int ROWS = 2_000;
  private static final FunctionRegistry REGISTRY = FunctionRegistry.builtins();
  private static final EvaluationContext CONTEXT =
      new EvaluationContext(
          ZoneId.of("Asia/Shanghai"), LocalDateTime.of(2024, 3, 15, 10, 20, 30), "test-query");
  private static final DateTimeFormatter DATETIME_TEXT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS");

  private static final List<String> DATE_FUNCTIONS =
      List.of(
          "year",
          "month",
          "day",
          "dayofmonth",
          "quarter",
          "dayofweek",
          "dayofyear",
          "weekday",
          "hour",
          "minute",
          "second",
          "microsecond",
          "date",
          "to_date");

  private static final long FIRST_DAY = LocalDate.of(1, 1, 1).toEpochDay();
  private static final long LAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();
  private static final List<LocalDate> EDGE_DATES =
      List.of(
          LocalDate.of(1, 1, 1),
          LocalDate.of(9999, 12, 31),
          LocalDate.of(2000, 2, 29),
          LocalDate.of(2024, 2, 29),
          LocalDate.of(1900, 2, 28),
          LocalDate.of(1900, 3, 1),
          LocalDate.of(1600, 2, 29),
          LocalDate.of(1969, 12, 31),
          LocalDate.of(1970, 1, 1),
          LocalDate.of(4, 2, 29),
          LocalDate.of(2023, 12, 31),
          LocalDate.of(2024, 1, 31),
          LocalDate.of(2023, 1, 31),
          LocalDate.of(2023, 5, 31),
          LocalDate.of(9999, 12, 1),
          LocalDate.of(1, 1, 31));

  @Test
  void dateFieldsOnDatesMatchRowWise() {
    Random random = new Random(SEED);
    for (int round = 0; round < 4; round++) {
      boolean constant = round == 3;
      List<LocalDate> values = new ArrayList<>();
      LocalDate repeated = randomDate(random);
      for (int row = 0; row < ROWS; row++) {
        values.add(constant ? repeated : randomNullable(random, this::randomDate));
      }
      for (String function : DATE_FUNCTIONS) {
        compareWithText(function, DataType.DATE, values, date -> date.toString(), round);
      }
    }
  }

  @Test
  void dateFieldsOnDatetimesMatchRowWise() {
    Random random = new Random(SEED + 1);
    for (DataType type : List.of(DataType.DATETIME, DataType.datetime(6))) {
      for (int round = 0; round < 4; round++) {
        boolean constant = round == 3;
        List<LocalDateTime> values = new ArrayList<>();
        LocalDateTime repeated = randomDatetime(random, type.scale() > 0);
        for (int row = 0; row < ROWS; row++) {
          values.add(
              constant
                  ? repeated
                  : randomNullable(random, r -> randomDatetime(r, type.scale() > 0)));
        }
        for (String function : DATE_FUNCTIONS) {
          compareWithText(function, type, values, DATETIME_TEXT::format, round);
        }
      }
    }
  }

  @Test
  void stringFunctionsMatchRowWise() {
    Random random = new Random(SEED + 2);
    List<StringCase> cases =
        List.of(
            new StringCase("length", StringFunctions.LENGTH_ROW_WISE),
            new StringCase("octet_length", StringFunctions.LENGTH_ROW_WISE),
            new StringCase("char_length", StringFunctions.CHAR_LENGTH_ROW_WISE),
            new StringCase("character_length", StringFunctions.CHAR_LENGTH_ROW_WISE),
            new StringCase("upper", StringFunctions.UPPER_ROW_WISE),
            new StringCase("ucase", StringFunctions.UPPER_ROW_WISE),
            new StringCase("lower", StringFunctions.LOWER_ROW_WISE),
            new StringCase("lcase", StringFunctions.LOWER_ROW_WISE),
            new StringCase("trim", StringFunctions.TRIM_ROW_WISE),
            new StringCase("ltrim", StringFunctions.LTRIM_ROW_WISE),
            new StringCase("rtrim", StringFunctions.RTRIM_ROW_WISE),
            new StringCase("ascii", StringFunctions.ASCII_ROW_WISE),
            new StringCase("bit_length", StringFunctions.BIT_LENGTH_ROW_WISE),
            new StringCase("initcap", StringFunctions.INITCAP_ROW_WISE),
            new StringCase("md5", StringFunctions.MD5_ROW_WISE),
            new StringCase("to_base64", StringFunctions.TO_BASE64_ROW_WISE),
            new StringCase("crc32", HashFunctions.CRC32_ROW_WISE));
    for (DataType type : List.of(DataType.varchar(100), DataType.STRING, DataType.character(30))) {
      for (int round = 0; round < 4; round++) {
        boolean constant = round == 3;
        boolean asciiOnly = round == 1;
        String repeated = randomString(random, false);
        List<String> values = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          values.add(constant ? repeated : randomNullable(random, r -> randomString(r, asciiOnly)));
        }
        ColumnVector input = vector(type, values);
        for (StringCase stringCase : cases) {
          List<DataType> types = List.of(type);
          ScalarFunction typed = REGISTRY.resolveScalar(stringCase.name(), types);
          assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
          ScalarFunction reference = stringCase.rowWise().resolve(types);
          assertSame(
              stringCase.name() + " " + type + " round " + round,
              reference.evaluate(List.of(input), ROWS, CONTEXT),
              typed.evaluate(List.of(input), ROWS, CONTEXT));
        }
      }
    }
  }

  @Test
  void unaryMathMatchesRowWise() {
    Random random = new Random(SEED + 3);
    Map<String, DoubleUnaryOperator> functions = new LinkedHashMap<>();
    functions.put("sqrt", Math::sqrt);
    functions.put("exp", Math::exp);
    functions.put("ln", Math::log);
    functions.put("log10", Math::log10);
    functions.put("log2", x -> Math.log(x) / Math.log(2));
    functions.put("sin", Math::sin);
    functions.put("cot", x -> 1 / Math.tan(x));
    functions.put("acos", Math::acos);
    functions.put("cbrt", Math::cbrt);
    functions.put("degrees", Math::toDegrees);
    double[] edges = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      0.5,
      1e-310,
      -1e-310,
      1e308,
      -1e308,
      709.8,
      710.0,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.MIN_VALUE
    };
    long[] longEdges = {0, 1, -1, 2, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MIN_VALUE, 1000};
    for (DataType type : List.of(DataType.DOUBLE, DataType.BIGINT, DataType.INT)) {
      for (int round = 0; round < 3; round++) {
        boolean constant = round == 2;
        List<Object> values = new ArrayList<>();
        Object repeated = type == DataType.DOUBLE ? (Object) 2.25 : (Object) 16L;
        for (int row = 0; row < ROWS; row++) {
          if (constant) {
            values.add(repeated);
          } else if (random.nextInt(10) == 0) {
            values.add(null);
          } else if (type == DataType.DOUBLE) {
            values.add(
                random.nextInt(4) == 0
                    ? edges[random.nextInt(edges.length)]
                    : (random.nextDouble() - 0.3) * Math.pow(10, random.nextInt(12) - 4));
          } else {
            long value =
                random.nextInt(4) == 0
                    ? longEdges[random.nextInt(longEdges.length)]
                    : random.nextInt(2_000_001) - 1_000_000;
            values.add(type == DataType.INT ? (long) (int) value : value);
          }
        }
        ColumnVector input = vector(type, values);
        for (Map.Entry<String, DoubleUnaryOperator> function : functions.entrySet()) {
          List<DataType> types = List.of(type);
          ScalarFunction typed = REGISTRY.resolveScalar(function.getKey(), types);
          assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
          ScalarFunction reference =
              MathFunctions.unaryRowWise(function.getKey(), function.getValue()).resolve(types);
          assertSame(
              function.getKey() + "(" + type + ") round " + round,
              reference.evaluate(List.of(input), ROWS, CONTEXT),
              typed.evaluate(List.of(input), ROWS, CONTEXT));
        }
      }
    }
  }

  @Test
  void dateArithmeticMatchesRowWise() {
    Random random = new Random(SEED + 4);
    long[] amountEdges = {
      0, 1, -1, 7, 3_652_058, -3_652_058, 3_652_060, Long.MAX_VALUE, Long.MIN_VALUE, 100_000_000
    };
    List<String[]> calls =
        List.of(
            new String[] {"days_add"},
            new String[] {"days_sub"},
            new String[] {"weeks_add"},
            new String[] {"hours_add"},
            new String[] {"minutes_sub"},
            new String[] {"seconds_add"},
            new String[] {"microseconds_add"},
            new String[] {"date_add"},
            new String[] {"date_sub"},
            new String[] {"date_add", "HOUR"},
            new String[] {"date_sub", "WEEK"},
            new String[] {"adddate", "SECOND"},
            new String[] {"date_add", "MONTH"},
            new String[] {"date_sub", "MONTH"},
            new String[] {"adddate", "QUARTER"},
            new String[] {"date_add", "YEAR"},
            new String[] {"subdate", "YEAR"},
            new String[] {"months_add"},
            new String[] {"months_sub"},
            new String[] {"quarters_add"},
            new String[] {"years_sub"});
    for (DataType type : List.of(DataType.DATE, DataType.DATETIME, DataType.datetime(6))) {
      for (int round = 0; round < 3; round++) {
        boolean constant = round == 2;
        List<Object> values = new ArrayList<>();
        List<Long> amounts = new ArrayList<>();
        long repeated = 40;
        for (int row = 0; row < ROWS; row++) {
          LocalDate date = randomNullable(random, this::randomDate);
          values.add(
              date == null || type.kind() == TypeKind.DATE
                  ? date
                  : date.atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60)));
          amounts.add(
              constant
                  ? repeated
                  : randomNullable(
                      random,
                      r ->
                          r.nextInt(4) == 0
                              ? amountEdges[r.nextInt(amountEdges.length)]
                              : (long) r.nextInt(2_000_001) - 1_000_000));
        }
        List<String> amountTexts = new ArrayList<>();
        for (Long amount : amounts) {
          amountTexts.add(amount == null ? null : Long.toString(amount));
        }
        DataType textType = DataType.varchar(30);
        for (String[] call : calls) {
          List<ColumnVector> typedArguments =
              new ArrayList<>(List.of(vector(type, values), vector(DataType.BIGINT, amounts)));
          List<ColumnVector> referenceArguments =
              new ArrayList<>(List.of(vector(type, values), vector(textType, amountTexts)));
          List<DataType> typedTypes = new ArrayList<>(List.of(type, DataType.BIGINT));
          List<DataType> referenceTypes = new ArrayList<>(List.of(type, textType));
          List<Object> constants =
              new ArrayList<>(
                  List.of(FunctionRegistry.NOT_CONSTANT, FunctionRegistry.NOT_CONSTANT));
          if (call.length == 2) {
            ColumnVector unit = vector(textType, java.util.Collections.nCopies(ROWS, call[1]));
            typedArguments.add(unit);
            referenceArguments.add(unit);
            typedTypes.add(textType);
            referenceTypes.add(textType);
            constants.add(call[1]);
          }
          String what = String.join(" ", call) + " (" + type + ") round " + round;
          ScalarFunction typed = REGISTRY.resolveScalar(call[0], typedTypes, constants);
          assertThat(typed).as(what).isNotInstanceOf(RowWiseScalarFunction.class);
          ScalarFunction reference = REGISTRY.resolveScalar(call[0], referenceTypes, constants);
          assertThat(reference).as(what).isInstanceOf(RowWiseScalarFunction.class);
          assertSame(
              what,
              reference.evaluate(referenceArguments, ROWS, CONTEXT),
              typed.evaluate(typedArguments, ROWS, CONTEXT));
        }
      }
    }
  }

  @Test
  void dateTruncAndFormatMatchRowWise() {
    Random random = new Random(SEED + 10);
    List<String> units =
        List.of("year", "quarter", "month", "week", "day", "hour", "minute", "second", " MONTH ");
    List<String> formats =
        List.of(
            "%Y-%m-%d",
            "%Y%m%d",
            "yyyy-MM-dd HH:mm:ss",
            "%y/%c/%e %k:%i:%S.%f",
            "%j %T %%",
            "été %Y年%m月 😀",
            "%W %M %D",
            "%H:%i:%s%");
    DataType textType = DataType.varchar(40);
    for (DataType type : List.of(DataType.DATE, DataType.DATETIME, DataType.datetime(6))) {
      List<Object> values = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        values.add(
            type.kind() == TypeKind.DATE
                ? randomNullable(random, this::randomDate)
                : randomNullable(random, r -> randomDatetime(r, type.scale() > 0)));
      }
      ColumnVector input = vector(type, values);
      for (String unit : units) {
        for (boolean unitFirst : new boolean[] {false, true}) {
          List<DataType> types = unitFirst ? List.of(textType, type) : List.of(type, textType);
          ColumnVector constant = vector(textType, List.of(unit));
          ColumnVector expanded = vector(textType, java.util.Collections.nCopies(ROWS, unit));
          List<Object> constants =
              unitFirst
                  ? List.of(unit, FunctionRegistry.NOT_CONSTANT)
                  : List.of(FunctionRegistry.NOT_CONSTANT, unit);
          compareTyped(
              "date_trunc " + types + " " + unit,
              REGISTRY.resolveScalar("date_trunc", types, constants),
              DateTimeFunctions.resolveDateTrunc(types),
              unitFirst ? List.of(constant, input) : List.of(input, constant),
              unitFirst ? List.of(expanded, input) : List.of(input, expanded));
        }
      }
      for (String format : formats) {
        List<DataType> types = List.of(type, textType);
        ScalarFunction typed =
            REGISTRY.resolveScalar(
                "date_format", types, List.of(FunctionRegistry.NOT_CONSTANT, format));
        ScalarFunction reference = DateTimeFunctions.DATE_FORMAT_ROW_WISE.resolve(types);
        List<ColumnVector> expanded =
            List.of(input, vector(textType, java.util.Collections.nCopies(ROWS, format)));
        if (format.contains("%W")) {
          // Names take the row-wise body.
          assertThat(typed).isInstanceOf(RowWiseScalarFunction.class);
          continue;
        }
        compareTyped(
            "date_format " + type + " " + format,
            typed,
            reference,
            List.of(input, vector(textType, List.of(format))),
            expanded);
      }
    }
  }

  @Test
  void datediffMatchesRowWise() {
    Random random = new Random(SEED + 5);
    for (DataType type : List.of(DataType.DATE, DataType.DATETIME)) {
      List<Object> left = new ArrayList<>();
      List<Object> right = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        left.add(randomTemporal(random, type));
        right.add(randomTemporal(random, type));
      }
      List<String> leftTexts = new ArrayList<>();
      List<String> rightTexts = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        leftTexts.add(text(left.get(row)));
        rightTexts.add(text(right.get(row)));
      }
      ScalarFunction typed = REGISTRY.resolveScalar("datediff", List.of(type, type));
      assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
      DataType textType = DataType.varchar(40);
      ScalarFunction reference =
          DateTimeFunctions.referenceOf("datediff").resolve(List.of(textType, textType));
      assertSame(
          "datediff(" + type + ")",
          reference.evaluate(
              List.of(vector(textType, leftTexts), vector(textType, rightTexts)), ROWS, CONTEXT),
          typed.evaluate(List.of(vector(type, left), vector(type, right)), ROWS, CONTEXT));
    }
  }

  /**
   * A string kernel against its row-wise body: {@code shape} gives the arguments ({@code S} a
   * string, {@code N} a BIGINT, {@code I} an INT, {@code L} a BIGINT below 50, {@code B} an INT bit
   * count for {@code sha2}, {@code H} a string of hex digits, {@code 6} a string of base64, {@code
   * D} a DOUBLE, {@code M} a DECIMAL(12, 3), {@code W} a DECIMAL(30, 12), {@code T} a DATE, {@code
   * R} a TRIM direction), each a full vector or, at random, a constant vector (one row; expanded
   * for the row-wise reference).
   */
  private record ShapeCase(String name, String shape, ScalarFunctionResolver rowWise) {}

  @Test
  void stringKernelsOfSeveralArgumentsMatchRowWise() {
    Random random = new Random(SEED + 6);
    List<ShapeCase> cases =
        List.of(
            new ShapeCase("substring", "SN", StringFunctions.SUBSTRING_ROW_WISE),
            new ShapeCase("substr", "SNN", StringFunctions.SUBSTRING_ROW_WISE),
            new ShapeCase("mid", "SIN", StringFunctions.SUBSTRING_ROW_WISE),
            new ShapeCase("left", "SN", StringFunctions.LEFT_ROW_WISE),
            new ShapeCase("right", "SI", StringFunctions.RIGHT_ROW_WISE),
            new ShapeCase("lpad", "SLS", StringFunctions.LPAD_ROW_WISE),
            new ShapeCase("rpad", "SLS", StringFunctions.RPAD_ROW_WISE),
            new ShapeCase("replace", "SSS", StringFunctions.REPLACE_ROW_WISE),
            new ShapeCase("reverse", "S", StringFunctions.REVERSE_ROW_WISE),
            new ShapeCase("instr", "SS", StringFunctions.INSTR_ROW_WISE),
            new ShapeCase("locate", "SS", StringFunctions.LOCATE_ROW_WISE),
            new ShapeCase("locate", "SSN", StringFunctions.LOCATE_ROW_WISE),
            new ShapeCase("position", "SS", StringFunctions.POSITION_ROW_WISE),
            new ShapeCase("starts_with", "SS", StringFunctions.STARTS_WITH_ROW_WISE),
            new ShapeCase("ends_with", "SS", StringFunctions.ENDS_WITH_ROW_WISE),
            new ShapeCase("hex", "S", StringFunctions.HEX_ROW_WISE),
            new ShapeCase("hex", "N", StringFunctions.HEX_ROW_WISE),
            new ShapeCase("hex", "I", StringFunctions.HEX_ROW_WISE),
            new ShapeCase("concat", "S", StringFunctions.CONCAT_ROW_WISE),
            new ShapeCase("concat", "SSS", StringFunctions.CONCAT_ROW_WISE),
            new ShapeCase("concat_ws", "SS", StringFunctions.CONCAT_WS_ROW_WISE),
            new ShapeCase("concat_ws", "SSSS", StringFunctions.CONCAT_WS_ROW_WISE));
    compareShapes(cases, random);
  }

  @Test
  void moreStringKernelsMatchRowWise() {
    Random random = new Random(SEED + 11);
    List<ShapeCase> cases =
        List.of(
            new ShapeCase("split_part", "SSN", StringFunctions.SPLIT_PART_ROW_WISE),
            new ShapeCase("split_part", "SSI", StringFunctions.SPLIT_PART_ROW_WISE),
            new ShapeCase("substring_index", "SSN", StringFunctions.SUBSTRING_INDEX_ROW_WISE),
            new ShapeCase("substring_index", "SSI", StringFunctions.SUBSTRING_INDEX_ROW_WISE),
            new ShapeCase("repeat", "SL", StringFunctions.REPEAT_ROW_WISE),
            new ShapeCase("repeat", "SN", StringFunctions.REPEAT_ROW_WISE),
            new ShapeCase("space", "L", StringFunctions.SPACE_ROW_WISE),
            new ShapeCase("space", "N", StringFunctions.SPACE_ROW_WISE),
            new ShapeCase("strcmp", "SS", StringFunctions.STRCMP_ROW_WISE),
            new ShapeCase("md5", "S", StringFunctions.MD5_ROW_WISE),
            new ShapeCase("sha1", "S", StringFunctions.SHA1_ROW_WISE),
            new ShapeCase("sha", "S", StringFunctions.SHA1_ROW_WISE),
            new ShapeCase("sha2", "SB", StringFunctions.SHA2_ROW_WISE),
            new ShapeCase("unhex", "H", StringFunctions.UNHEX_ROW_WISE),
            new ShapeCase("unhex", "S", StringFunctions.UNHEX_ROW_WISE),
            new ShapeCase("to_base64", "S", StringFunctions.TO_BASE64_ROW_WISE),
            new ShapeCase("from_base64", "6", StringFunctions.FROM_BASE64_ROW_WISE),
            new ShapeCase("from_base64", "S", StringFunctions.FROM_BASE64_ROW_WISE),
            new ShapeCase("find_in_set", "SS", StringFunctions.FIND_IN_SET_ROW_WISE),
            new ShapeCase("initcap", "S", StringFunctions.INITCAP_ROW_WISE),
            new ShapeCase("elt", "LSSS", StringFunctions.ELT_ROW_WISE),
            new ShapeCase("elt", "SSI", StringFunctions.ELT_ROW_WISE),
            new ShapeCase("field", "SSSS", StringFunctions.FIELD_ROW_WISE),
            new ShapeCase("field", "LLIS", StringFunctions.FIELD_ROW_WISE),
            new ShapeCase("field", "DLD", StringFunctions.FIELD_ROW_WISE),
            new ShapeCase("format", "NL", StringFunctions.FORMAT_ROW_WISE),
            new ShapeCase("format", "IN", StringFunctions.FORMAT_ROW_WISE),
            new ShapeCase("format", "MLS", StringFunctions.FORMAT_ROW_WISE),
            new ShapeCase("format", "WL", StringFunctions.FORMAT_ROW_WISE),
            new ShapeCase("money_format", "M", StringFunctions.MONEY_FORMAT_ROW_WISE),
            new ShapeCase("money_format", "N", StringFunctions.MONEY_FORMAT_ROW_WISE),
            new ShapeCase("concat", "SNS", StringFunctions.CONCAT_ROW_WISE),
            new ShapeCase("concat", "DMT", StringFunctions.CONCAT_ROW_WISE),
            new ShapeCase("concat_ws", "SIS", StringFunctions.CONCAT_WS_ROW_WISE),
            new ShapeCase("concat_ws", "TSDW", StringFunctions.CONCAT_WS_ROW_WISE),
            new ShapeCase("trim", "SS", StringFunctions.TRIM_STRING_ROW_WISE),
            new ShapeCase("ltrim", "SS", StringFunctions.LTRIM_STRING_ROW_WISE),
            new ShapeCase("rtrim", "SS", StringFunctions.RTRIM_STRING_ROW_WISE),
            new ShapeCase("trim", "RSS", StringFunctions.TRIM_DIRECTION_ROW_WISE),
            new ShapeCase(
                "append_trailing_char_if_absent",
                "SS",
                StringFunctions.APPEND_TRAILING_CHAR_IF_ABSENT_ROW_WISE),
            new ShapeCase("char", "LNI", StringFunctions.CHAR_ROW_WISE),
            new ShapeCase("char", "SM", StringFunctions.CHAR_ROW_WISE),
            new ShapeCase("quote", "S", StringFunctions.QUOTE_ROW_WISE),
            new ShapeCase("null_or_empty", "S", StringFunctions.NULL_OR_EMPTY_ROW_WISE),
            new ShapeCase("not_null_or_empty", "S", StringFunctions.NOT_NULL_OR_EMPTY_ROW_WISE),
            new ShapeCase("murmur_hash3_32", "S", HashFunctions.MURMUR_HASH3_32_ROW_WISE),
            new ShapeCase("murmur_hash3_32", "SNS", HashFunctions.MURMUR_HASH3_32_ROW_WISE));
    compareShapes(cases, random);
  }

  @Test
  void regexAndNumberTextKernelsMatchRowWise() {
    Random random = new Random(SEED + 16);
    List<ShapeCase> cases =
        List.of(
            new ShapeCase("regexp_extract", "SPG", PatternFunctions.REGEXP_EXTRACT_ROW_WISE),
            new ShapeCase("regexp_extract", "SPI", PatternFunctions.REGEXP_EXTRACT_ROW_WISE),
            new ShapeCase("regexp_replace", "SPE", PatternFunctions.REGEXP_REPLACE_ROW_WISE),
            new ShapeCase("factorial", "N", MathFunctions.FACTORIAL_ROW_WISE),
            new ShapeCase("factorial", "I", MathFunctions.FACTORIAL_ROW_WISE),
            new ShapeCase("bin", "N", MathFunctions.BIN_ROW_WISE),
            new ShapeCase("bin", "I", MathFunctions.BIN_ROW_WISE),
            new ShapeCase("conv", "CQQ", MathFunctions.CONV_ROW_WISE),
            new ShapeCase("conv", "SQQ", MathFunctions.CONV_ROW_WISE),
            new ShapeCase("from_days", "Y", DateTimeFunctions.FROM_DAYS_ROW_WISE),
            new ShapeCase("makedate", "ZL", DateTimeFunctions.MAKEDATE_ROW_WISE),
            new ShapeCase("makedate", "ZY", DateTimeFunctions.MAKEDATE_ROW_WISE),
            new ShapeCase("time", "X", DateTimeFunctions.TIME_ROW_WISE),
            new ShapeCase("addtime", "AX", DateTimeFunctions.addTimeRowWise("add_time", false)),
            new ShapeCase("subtime", "TX", DateTimeFunctions.addTimeRowWise("sub_time", true)),
            new ShapeCase("from_second", "U", DateTimeFunctions.FROM_SECOND_ROW_WISE),
            new ShapeCase("from_second", "N", DateTimeFunctions.FROM_SECOND_ROW_WISE),
            new ShapeCase("from_millisecond", "V", DateTimeFunctions.FROM_MILLISECOND_ROW_WISE),
            new ShapeCase("from_millisecond", "N", DateTimeFunctions.FROM_MILLISECOND_ROW_WISE),
            new ShapeCase("time_to_sec", "X", DateTimeFunctions.TIME_TO_SEC_ROW_WISE),
            new ShapeCase("time_to_sec", "S", DateTimeFunctions.TIME_TO_SEC_ROW_WISE),
            new ShapeCase(
                "bitand", "NI", BitwiseFunctions.binaryRowWise("bitand", (x, y) -> x & y)),
            new ShapeCase("bitor", "NN", BitwiseFunctions.binaryRowWise("bitor", (x, y) -> x | y)),
            new ShapeCase(
                "bitxor", "IN", BitwiseFunctions.binaryRowWise("bitxor", (x, y) -> x ^ y)));
    compareShapes(cases, random);
    for (DataType type : List.of(DataType.BIGINT, DataType.INT)) {
      List<Object> values = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        values.add(shapeValue(random, 'N', 0));
      }
      ColumnVector input = vector(type, values);
      compareTyped(
          "bitnot " + type,
          REGISTRY.resolveScalar("bitnot", List.of(type)),
          BitwiseFunctions.unaryRowWise("bitnot", x -> ~x).resolve(List.of(type)),
          List.of(input),
          List.of(input));
      compareTyped(
          "bit_count " + type,
          REGISTRY.resolveScalar("bit_count", List.of(type)),
          BitwiseFunctions.unaryRowWise("bit_count", Long::bitCount).resolve(List.of(type)),
          List.of(input),
          List.of(input));
    }
  }

  /**
   * The byte-level TIME text parser against the regular-expression reading it replaced, kept here
   * as an independent oracle (an hour count beyond a BIGINT, which made that one throw, is NULL; a
   * leading '-' of a day count is a sign, where that one took the day count for a date).
   */
  @Test
  void timeTextParserMatchesTheRegularExpressionReading() {
    Random random = new Random(SEED + 19);
    java.util.regex.Pattern time =
        java.util.regex.Pattern.compile("(\\d+):(\\d{1,2})(?::(\\d{1,2})(?:\\.(\\d{1,6})\\d*)?)?");
    for (int i = 0; i < 20 * ROWS; i++) {
      String text = (String) shapeValue(random, 'X', 0);
      if (text == null) {
        continue;
      }
      Long expected;
      String value = text.trim();
      int space = value.indexOf(' ');
      if (space > 0 && value.substring(1, space).contains("-")) {
        value = value.substring(space + 1).trim();
      }
      boolean negative = value.startsWith("-");
      if (negative) {
        value = value.substring(1).trim();
      }
      long days = 0;
      space = value.indexOf(' ');
      java.util.regex.Matcher matcher = null;
      try {
        if (space > 0) {
          days = Long.parseLong(value.substring(0, space));
          value = value.substring(space + 1).trim();
        }
        matcher = time.matcher(value);
        if (!matcher.matches()
            || Long.parseLong(matcher.group(2)) > 59
            || matcher.group(3) != null && Long.parseLong(matcher.group(3)) > 59) {
          expected = null;
        } else {
          long hours = Long.parseLong(matcher.group(1)) + days * 24;
          long seconds = matcher.group(3) == null ? 0 : Long.parseLong(matcher.group(3));
          long fraction =
              matcher.group(4) == null
                  ? 0
                  : Long.parseLong((matcher.group(4) + "000000").substring(0, 6));
          long micros =
              ((hours * 60 + Long.parseLong(matcher.group(2))) * 60 + seconds) * 1_000_000L
                  + fraction;
          expected = negative ? -micros : micros;
        }
      } catch (NumberFormatException notANumber) {
        expected = null;
      }
      assertThat(DateTimeFunctions.parseTimeOfDay(text))
          .as("'" + text + "' (seed " + SEED + ")")
          .isEqualTo(expected);
    }
  }

  /** REGEXP against a per-row match of the same pattern with {@link java.util.regex}. */
  @Test
  void regexpMatchesJavaFind() {
    Random random = new Random(SEED + 17);
    for (int round = 0; round < 4; round++) {
      List<Object> texts = new ArrayList<>();
      List<Object> patterns = new ArrayList<>();
      Object constantPattern = shapeValue(random, 'P', round);
      for (int row = 0; row < ROWS; row++) {
        texts.add(shapeValue(random, 'S', round));
        patterns.add(round % 2 == 0 ? constantPattern : shapeValue(random, 'P', round));
      }
      ColumnVector patternVector =
          round % 2 == 0
              ? vector(DataType.STRING, nullable(constantPattern))
              : vector(DataType.STRING, patterns);
      ScalarFunction regexp =
          REGISTRY.resolveScalar("regexp", List.of(DataType.STRING, DataType.STRING));
      assertThat(regexp.takesConstantVectors()).isTrue();
      ColumnVector result =
          regexp.evaluate(List.of(vector(DataType.STRING, texts), patternVector), ROWS, CONTEXT);
      for (int row = 0; row < ROWS; row++) {
        String what = "regexp round " + round + " row " + row + " (seed " + SEED + ")";
        if (texts.get(row) == null || patterns.get(row) == null) {
          assertThat(result.isNull(row)).as(what).isTrue();
        } else {
          boolean found =
              java.util.regex.Pattern.compile((String) patterns.get(row))
                  .matcher((String) texts.get(row))
                  .find();
          assertThat(result.getObject(row)).as(what).isEqualTo(found);
        }
      }
    }
  }

  @Test
  void strToDateWithAConstantFormatMatchesRowWise() {
    Random random = new Random(SEED + 18);
    List<String> formats =
        List.of(
            "%Y-%m-%d",
            "%d/%m/%Y %H:%i:%s",
            "%Y%m%d",
            "%b %e %Y %r",
            "%W %M %Y",
            "%y-%j",
            "%Y-%m-%d %T.%f",
            "%h:%i %p %Y",
            "%%Y%Y",
            "%M %d, %Y %k:%i");
    List<String> javaPatterns =
        List.of(
            "uuuu-MM-dd",
            "dd/MM/uuuu HH:mm:ss",
            "uuuuMMdd",
            "MMM d uuuu hh:mm:ss a",
            "EEEE MMMM uuuu",
            "uu-DDD",
            "uuuu-MM-dd HH:mm:ss.SSSSSS",
            "hh:mm a uuuu",
            "'%'uuuu",
            "MMMM dd, uuuu H:mm");
    DataType textType = DataType.varchar(60);
    for (int round = 0; round < 3; round++) {
      for (int f = 0; f < formats.size(); f++) {
        DateTimeFormatter javaFormat =
            DateTimeFormatter.ofPattern(javaPatterns.get(f), java.util.Locale.ROOT);
        List<Object> texts = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          if (random.nextInt(12) == 0) {
            texts.add(null);
            continue;
          }
          String text = javaFormat.format(randomDatetime(random, true));
          text = random.nextInt(3) == 0 ? text.toLowerCase(java.util.Locale.ROOT) : text;
          texts.add(damage(random, text, "0é٣ 9:-%x"));
        }
        String format = formats.get(f);
        List<DataType> types = List.of(textType, DataType.varchar(20));
        ScalarFunction typed =
            REGISTRY.resolveScalar(
                "str_to_date", types, List.of(FunctionRegistry.NOT_CONSTANT, format));
        ScalarFunction reference = DateTimeFunctions.strToDateRowWise(types, typed.returnType());
        ColumnVector input = vector(textType, texts);
        compareTyped(
            "str_to_date '" + format + "' round " + round,
            typed,
            reference,
            List.of(input, vector(DataType.varchar(20), nullable(format))),
            List.of(
                input, vector(DataType.varchar(20), java.util.Collections.nCopies(ROWS, format))));
      }
    }
  }

  @Test
  void strToDateWithAFormatColumnMatchesRowWise() {
    Random random = new Random(SEED + 19);
    List<String> formats =
        List.of("%Y-%m-%d", "%d/%m/%Y %H:%i:%s", "%b %e %Y %r", "%y-%j", "%Y-%m-%d %T.%f", "é%Y");
    List<String> javaPatterns =
        List.of(
            "uuuu-MM-dd",
            "dd/MM/uuuu HH:mm:ss",
            "MMM d uuuu hh:mm:ss a",
            "uu-DDD",
            "uuuu-MM-dd HH:mm:ss.SSSSSS",
            "'é'uuuu");
    DataType textType = DataType.varchar(60);
    DataType formatType = DataType.varchar(20);
    List<DataType> types = List.of(textType, formatType);
    ScalarFunction typed =
        REGISTRY.resolveScalar(
            "str_to_date",
            types,
            List.of(FunctionRegistry.NOT_CONSTANT, FunctionRegistry.NOT_CONSTANT));
    ScalarFunction reference = DateTimeFunctions.strToDateRowWise(types, typed.returnType());
    for (int round = 0; round < 6; round++) {
      List<Object> texts = new ArrayList<>();
      List<Object> formatColumn = new ArrayList<>();
      int f = random.nextInt(formats.size());
      for (int row = 0; row < ROWS; row++) {
        // Runs of one format (the compiled format is reused), and a change now and then.
        if (random.nextInt(round < 3 ? 8 : 2) == 0) {
          f = random.nextInt(formats.size());
        }
        int used = random.nextInt(10) == 0 ? random.nextInt(formats.size()) : f;
        String text =
            DateTimeFormatter.ofPattern(javaPatterns.get(f), java.util.Locale.ROOT)
                .format(randomDatetime(random, true));
        texts.add(random.nextInt(12) == 0 ? null : damage(random, text, "0é 9:-%x"));
        formatColumn.add(random.nextInt(12) == 0 ? null : formats.get(used));
      }
      ColumnVector input = vector(textType, texts);
      ColumnVector formatVector = vector(formatType, formatColumn);
      compareTyped(
          "str_to_date with a format column, round " + round,
          typed,
          reference,
          List.of(input, formatVector),
          List.of(input, formatVector));
    }
    assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
  }

  @Test
  void seededRandMatchesRowWise() {
    Random random = new Random(SEED + 20);
    for (DataType type : List.of(DataType.BIGINT, DataType.INT, DataType.SMALLINT)) {
      List<DataType> types = List.of(type);
      ScalarFunction typed = REGISTRY.resolveScalar("rand", types);
      ScalarFunction reference = MathFunctions.RAND_ROW_WISE.resolve(types);
      assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
      assertThat(typed.isDeterministic()).isFalse();
      for (int round = 0; round < 3; round++) {
        List<Object> seeds = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          seeds.add(
              random.nextInt(10) == 0
                  ? null
                  : type.kind() == TypeKind.BIGINT
                      ? (round == 0 ? random.nextLong() : (long) random.nextInt(1000) - 500)
                      : (long) random.nextInt(30_000) - 15_000);
        }
        ColumnVector input = vector(type, seeds);
        long constant = random.nextInt(100);
        compareTyped(
            "rand(" + type + ") round " + round, typed, reference, List.of(input), List.of(input));
        compareTyped(
            "rand(" + constant + ") round " + round,
            typed,
            reference,
            List.of(vector(type, nullable(constant))),
            List.of(vector(type, java.util.Collections.nCopies(ROWS, constant))));
      }
    }
  }

  @Test
  void randAndUuidGiveAFreshValuePerRow() {
    ScalarFunction rand = REGISTRY.resolveScalar("rand", List.of());
    ScalarFunction uuid = REGISTRY.resolveScalar("uuid", List.of());
    for (ScalarFunction function : List.of(rand, uuid)) {
      assertThat(function).isNotInstanceOf(RowWiseScalarFunction.class);
      assertThat(function.isDeterministic()).isFalse();
    }
    ColumnVector doubles = rand.evaluate(List.of(), ROWS, CONTEXT);
    ColumnVector texts = uuid.evaluate(List.of(), ROWS, CONTEXT);
    ColumnVector reference = UuidFunctions.rowWise().evaluate(List.of(), 3, CONTEXT);
    java.util.Set<Object> seen = new java.util.HashSet<>();
    java.util.Set<Object> seenUuids = new java.util.HashSet<>();
    for (int row = 0; row < ROWS; row++) {
      double value = (Double) doubles.getObject(row);
      assertThat(value).isBetween(0.0, 1.0).isNotEqualTo(1.0);
      seen.add(value);
      String text = (String) texts.getObject(row);
      assertThat(text)
          .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
      java.util.UUID parsed = java.util.UUID.fromString(text);
      assertThat(parsed.toString()).isEqualTo(text);
      assertThat(parsed.version()).isEqualTo(4);
      assertThat(parsed.variant()).isEqualTo(2);
      seenUuids.add(text);
    }
    assertThat(seen).hasSizeGreaterThan(ROWS - 5);
    assertThat(seenUuids).hasSize(ROWS);
    assertThat(doubles.size()).isEqualTo(ROWS);
    assertThat(texts.size()).isEqualTo(ROWS);
    assertThat((String) reference.getObject(0))
        .matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  }

  private static void compareShapes(List<ShapeCase> cases, Random random) {
    for (int round = 0; round < 6; round++) {
      for (ShapeCase shapeCase : cases) {
        List<DataType> types = new ArrayList<>();
        List<ColumnVector> typedArguments = new ArrayList<>();
        List<ColumnVector> referenceArguments = new ArrayList<>();
        for (char kind : shapeCase.shape().toCharArray()) {
          DataType type =
              switch (kind) {
                case 'S', 'H', '6', 'R', 'P', 'E', 'C', 'X' ->
                    random.nextBoolean() ? DataType.varchar(60) : DataType.STRING;
                case 'I', 'B' -> DataType.INT;
                case 'D' -> DataType.DOUBLE;
                case 'M' -> DataType.decimal(12, 3);
                case 'W' -> DataType.decimal(30, 12);
                case 'T' -> DataType.DATE;
                case 'A' -> DataType.datetime(6);
                default -> DataType.BIGINT;
              };
          boolean constant = round > 0 && random.nextInt(3) == 0;
          List<Object> values = new ArrayList<>();
          Object repeated = shapeValue(random, kind, round);
          for (int row = 0; row < ROWS; row++) {
            values.add(constant ? repeated : shapeValue(random, kind, round));
          }
          types.add(type);
          typedArguments.add(constant ? vector(type, nullable(repeated)) : vector(type, values));
          referenceArguments.add(vector(type, values));
        }
        String what = shapeCase.name() + " " + types + " round " + round;
        ScalarFunction typed = REGISTRY.resolveScalar(shapeCase.name(), types);
        assertThat(typed.takesConstantVectors()).as(what).isTrue();
        compareTyped(
            what, typed, shapeCase.rowWise().resolve(types), typedArguments, referenceArguments);
      }
    }
  }

  /** Marks a NULL for {@link #vector} of one row (a list cannot hold a bare null via List.of). */
  private static List<Object> nullable(Object value) {
    List<Object> one = new ArrayList<>();
    one.add(value);
    return one;
  }

  private static final String[] PATTERNS = {
    "(a)", "(b+)(a)?", "(é|中)", "( )", "([ab])c*", "(x*)", "(^a)", "(?<n>a)(b)", "(ab|😀)+"
  };
  private static final String[] REPLACEMENTS = {
    "", "-", "$1", "<$0>", "\\$", "é$1", "$12", "[$1$0]", "\\\\"
  };
  private static final String[] TIME_TEXTS = {
    "12:34:56",
    " -1 10:00:00.5 ",
    "2024-01-02 03:04:05.123",
    "838:59:59",
    "839:00:00",
    "99999999999999999999:00",
    "1:2",
    "12:60",
    "12:3:4.",
    "+5 1:00",
    "\u0663 1:00",
    "a:b",
    "",
    "10:00:00.1234567",
    "- 3:00",
    "-2024-01-02 1:00",
    "1:00:00 ",
    "\t7:08",
    "12:34:56.x"
  };
  private static final String[] NUMBER_TEXTS = {
    "",
    " ",
    "0",
    "12",
    "-17",
    "+ff",
    "zz",
    " 7f",
    "12abc",
    "-",
    "ffffffffffffffffffff",
    "-8000000000000000",
    "7fffffffffffffff",
    "1010",
    "\t9",
    "é1",
    "Zz9"
  };

  private static final String[] SMALL_ALPHABET = {"a", "b", "ab", "é", "中", "😀", " ", "", ","};

  private static Object shapeValue(Random random, char kind, int round) {
    if (random.nextInt(12) == 0) {
      return null;
    }
    if (kind == 'S') {
      if (round % 2 == 0) {
        return randomString(random, round == 2);
      }
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(7); i > 0; i--) {
        text.append(SMALL_ALPHABET[random.nextInt(SMALL_ALPHABET.length)]);
      }
      return text.toString();
    }
    if (kind == 'L') {
      return (long) random.nextInt(50) - 3;
    }
    if (kind == 'P') {
      return PATTERNS[random.nextInt(PATTERNS.length)];
    }
    if (kind == 'E') {
      return REPLACEMENTS[random.nextInt(REPLACEMENTS.length)];
    }
    if (kind == 'C') {
      return NUMBER_TEXTS[random.nextInt(NUMBER_TEXTS.length)];
    }
    if (kind == 'X') {
      if (random.nextBoolean()) {
        return TIME_TEXTS[random.nextInt(TIME_TEXTS.length)];
      }
      String time =
          random.nextInt(900)
              + ":"
              + random.nextInt(70)
              + (random.nextBoolean() ? ":" + random.nextInt(70) : "")
              + (random.nextInt(3) == 0 ? "." + random.nextInt(10_000_000) : "");
      return (random.nextInt(4) == 0 ? "-" : "")
          + (random.nextInt(4) == 0 ? random.nextInt(40) + " " : "")
          + damage(random, time, "0 :.-x");
    }
    if (kind == 'U' || kind == 'V') {
      long[] edges = {
        -62_167_219_200L,
        -62_167_248_000L,
        -62_167_248_001L,
        253_402_300_799L,
        253_402_271_999L,
        253_402_272_000L,
        -2_208_988_800L,
        0,
        Long.MAX_VALUE / 1000,
        Long.MIN_VALUE / 1000
      };
      long seconds =
          random.nextInt(4) == 0
              ? edges[random.nextInt(edges.length)]
              : (long) ((random.nextDouble() - 0.3) * 400_000_000_000L);
      return kind == 'U' ? seconds : seconds * 1000 + random.nextInt(1000);
    }
    if (kind == 'G') {
      return (long) random.nextInt(5) - 1;
    }
    if (kind == 'Q') {
      long[] bases = {2, 8, 10, 16, 36, -2, -10, -16, -36, 0, 1, 37, -1};
      return bases[random.nextInt(random.nextInt(6) == 0 ? bases.length : 9)];
    }
    if (kind == 'Y') {
      long[] edges = {0, 365, 366, 367, 730_669, 3_652_424, 3_652_425, -1, Long.MAX_VALUE};
      return random.nextInt(4) == 0
          ? edges[random.nextInt(edges.length)]
          : (long) random.nextInt(3_700_000);
    }
    if (kind == 'Z') {
      long[] edges = {-1, 0, 69, 70, 99, 100, 9999, 10_000, Long.MIN_VALUE};
      return random.nextInt(4) == 0
          ? edges[random.nextInt(edges.length)]
          : (long) random.nextInt(10_000);
    }
    if (kind == 'R') {
      String[] directions = {"BOTH", "leading", " Trailing ", "both", "LEADING", "sideways"};
      return directions[random.nextInt(random.nextInt(40) == 0 ? 6 : 5)];
    }
    if (kind == 'B') {
      long[] bits = {0, 224, 256, 384, 512, 1, -256, 160};
      return bits[random.nextInt(bits.length)];
    }
    if (kind == 'H' || kind == '6') {
      byte[] bytes = new byte[random.nextInt(12)];
      random.nextBytes(bytes);
      if (random.nextBoolean()) {
        bytes = randomString(random, false).getBytes(java.nio.charset.StandardCharsets.UTF_8);
      }
      String text =
          kind == 'H'
              ? (random.nextBoolean()
                  ? java.util.HexFormat.of().formatHex(bytes)
                  : java.util.HexFormat.of().withUpperCase().formatHex(bytes))
              : java.util.Base64.getEncoder().encodeToString(bytes);
      return damage(random, text, kind == 'H' ? "0g 9" : "=\n \t=A_é");
    }
    if (kind == 'D') {
      double[] edges = {0.0, -0.0, 1.0, 1.5, -2.25, 1e20, Double.NaN, 3.0};
      return edges[random.nextInt(edges.length)];
    }
    if (kind == 'M' || kind == 'W') {
      int scale = kind == 'M' ? 3 : 12;
      long unscaled =
          random.nextInt(4) == 0
              ? random.nextInt(2001) - 1000
              : random.nextLong() % (kind == 'M' ? 1_000_000_000_000L : Long.MAX_VALUE);
      java.math.BigDecimal value = java.math.BigDecimal.valueOf(unscaled, scale);
      return kind == 'W' && random.nextInt(4) == 0
          ? value.multiply(java.math.BigDecimal.valueOf(1_000_000_007L))
          : value;
    }
    if (kind == 'A') {
      return random.nextInt(8) == 0
          ? LocalDateTime.of(random.nextBoolean() ? 9999 : 0, 12, 31, 23, 59, 59)
          : LocalDate.of(2024, 1, 1)
              .plusDays(random.nextInt(3000) - 1500)
              .atTime(random.nextInt(24), random.nextInt(60), 0, random.nextInt(1000) * 1000);
    }
    if (kind == 'T') {
      return LocalDate.of(2024, 1, 1).plusDays(random.nextInt(3000) - 1500);
    }
    long[] edges = {0, 1, -1, 2, -2, 3, 30, -30, Integer.MAX_VALUE, Integer.MIN_VALUE};
    long value =
        random.nextInt(5) == 0 ? edges[random.nextInt(edges.length)] : random.nextInt(41) - 12;
    if (kind == 'N' && random.nextInt(20) == 0) {
      value = random.nextBoolean() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    return value;
  }

  /**
   * {@code text} unchanged three times in four, else with one character of {@code damage} put in,
   * replacing a character or cut off at a random place.
   */
  private static String damage(Random random, String text, String damage) {
    int choice = random.nextInt(8);
    if (choice > 2 || text.isEmpty() && choice > 0) {
      return text;
    }
    int at = random.nextInt(text.length() + 1);
    String piece = String.valueOf(damage.charAt(random.nextInt(damage.length())));
    return switch (choice) {
      case 0 -> text.substring(0, at) + piece + text.substring(at);
      case 1 -> text.substring(0, Math.max(0, at - 1)) + piece + text.substring(at);
      default -> text.substring(0, at);
    };
  }

  @Test
  void conditionalKernelsMatchRowWise() {
    Random random = new Random(SEED + 7);
    List<List<DataType>> signatures =
        List.of(
            List.of(DataType.BIGINT, DataType.BIGINT),
            List.of(DataType.INT, DataType.BIGINT, DataType.TINYINT),
            List.of(DataType.decimal(10, 2), DataType.INT),
            List.of(DataType.decimal(12, 2), DataType.decimal(18, 4)),
            List.of(DataType.decimal(30, 3), DataType.decimal(20, 1)),
            List.of(DataType.DOUBLE, DataType.INT),
            List.of(DataType.DOUBLE, DataType.decimal(9, 3)),
            List.of(DataType.varchar(20), DataType.STRING, DataType.varchar(10)),
            List.of(DataType.DATE, DataType.DATE),
            List.of(DataType.DATETIME, DataType.DATETIME),
            List.of(DataType.LARGEINT, DataType.LARGEINT));
    for (int round = 0; round < 4; round++) {
      for (List<DataType> types : signatures) {
        List<ColumnVector> typedArguments = new ArrayList<>();
        List<ColumnVector> referenceArguments = new ArrayList<>();
        for (DataType type : types) {
          boolean constant = round > 0 && random.nextInt(3) == 0;
          Object repeated = randomValue(random, type);
          List<Object> values = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            values.add(constant ? repeated : randomValue(random, type));
          }
          typedArguments.add(constant ? vector(type, nullable(repeated)) : vector(type, values));
          referenceArguments.add(vector(type, values));
        }
        String what = types + " round " + round;
        compareTyped(
            "coalesce " + what,
            REGISTRY.resolveScalar("coalesce", types),
            ConditionalFunctions.coalesce("coalesce", types),
            typedArguments,
            referenceArguments);
        for (int direction : new int[] {1, -1}) {
          String name = direction > 0 ? "greatest" : "least";
          compareTyped(
              name + " " + what,
              REGISTRY.resolveScalar(name, types),
              ConditionalFunctions.extremeRowWise(name, types, direction),
              typedArguments,
              referenceArguments);
        }
        List<DataType> pair = types.subList(0, 2);
        compareTyped(
            "ifnull " + what,
            REGISTRY.resolveScalar("ifnull", pair),
            ConditionalFunctions.coalesce("ifnull", pair),
            typedArguments.subList(0, 2),
            referenceArguments.subList(0, 2));
        compareTyped(
            "nullif " + what,
            REGISTRY.resolveScalar("nullif", pair),
            ConditionalFunctions.NULLIF_ROW_WISE.resolve(pair),
            typedArguments.subList(0, 2),
            referenceArguments.subList(0, 2));
        for (DataType conditionType : List.of(DataType.BOOLEAN, DataType.INT)) {
          List<Object> conditions = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            conditions.add(
                random.nextInt(8) == 0
                    ? null
                    : conditionType == DataType.BOOLEAN
                        ? (Object) random.nextBoolean()
                        : (Object) (long) (random.nextInt(3) - 1));
          }
          List<DataType> ifTypes = List.of(conditionType, pair.get(0), pair.get(1));
          ColumnVector condition = vector(conditionType, conditions);
          compareTyped(
              "if " + ifTypes + " round " + round,
              REGISTRY.resolveScalar("if", ifTypes),
              ConditionalFunctions.IF_ROW_WISE.resolve(ifTypes),
              List.of(condition, typedArguments.get(0), typedArguments.get(1)),
              List.of(condition, referenceArguments.get(0), referenceArguments.get(1)));
        }
      }
    }
  }

  @Test
  void roundingAndAbsMatchRowWise() {
    Random random = new Random(SEED + 8);
    List<DataType> valueTypes =
        List.of(
            DataType.BIGINT,
            DataType.INT,
            DataType.DOUBLE,
            DataType.decimal(10, 2),
            DataType.decimal(18, 6),
            DataType.decimal(18, 0),
            DataType.decimal(30, 4),
            DataType.LARGEINT);
    Map<String, java.math.RoundingMode> modes = new LinkedHashMap<>();
    modes.put("round", java.math.RoundingMode.HALF_UP);
    modes.put("floor", java.math.RoundingMode.FLOOR);
    modes.put("ceil", java.math.RoundingMode.CEILING);
    modes.put("truncate", java.math.RoundingMode.DOWN);
    for (int round = 0; round < 4; round++) {
      for (DataType type : valueTypes) {
        List<Object> values = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          values.add(numberValue(random, type, round == 3));
        }
        ColumnVector input = vector(type, values);
        List<DataType> one = List.of(type);
        compareTyped(
            "abs(" + type + ") round " + round,
            REGISTRY.resolveScalar("abs", one),
            MathFunctions.absRowWise(one),
            List.of(input),
            List.of(input));
        if (type.kind() == TypeKind.LARGEINT) {
          continue;
        }
        boolean constantDigits = round % 2 == 1;
        long repeated = random.nextInt(9) - 4;
        List<Object> digits = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          long[] edges = {0, 1, -1, 2, -2, 17, 18, 19, -18, -19, -20, 40, -41, 31};
          digits.add(
              constantDigits
                  ? (Object) repeated
                  : random.nextInt(12) == 0
                      ? null
                      : (Object)
                          (random.nextInt(3) == 0
                              ? edges[random.nextInt(edges.length)]
                              : (long) random.nextInt(9) - 4));
        }
        ColumnVector digitsVector =
            constantDigits
                ? vector(DataType.BIGINT, List.of(repeated))
                : vector(DataType.BIGINT, digits);
        ColumnVector expandedDigits = vector(DataType.BIGINT, digits);
        List<DataType> two = List.of(type, DataType.BIGINT);
        List<Object> constants =
            List.of(
                FunctionRegistry.NOT_CONSTANT,
                constantDigits ? (Object) repeated : FunctionRegistry.NOT_CONSTANT);
        for (Map.Entry<String, java.math.RoundingMode> mode : modes.entrySet()) {
          String name = mode.getKey();
          String what = name + "(" + type + ") round " + round;
          if (!name.equals("truncate")) {
            compareTyped(
                what,
                REGISTRY.resolveScalar(name, one),
                MathFunctions.resolveRounding(name, mode.getValue(), one, List.of(), false),
                List.of(input),
                List.of(input));
          }
          if (name.equals("round") || name.equals("truncate")) {
            compareTyped(
                what + " with digits",
                REGISTRY.resolveScalar(name, two, constants),
                MathFunctions.resolveRounding(name, mode.getValue(), two, constants, false),
                List.of(input, digitsVector),
                List.of(input, expandedDigits));
          }
        }
      }
    }
  }

  @Test
  void binaryMathMatchesRowWise() {
    Random random = new Random(SEED + 9);
    for (List<DataType> types :
        List.of(
            List.of(DataType.DOUBLE, DataType.DOUBLE),
            List.of(DataType.BIGINT, DataType.INT),
            List.of(DataType.DOUBLE, DataType.BIGINT))) {
      for (int round = 0; round < 3; round++) {
        List<ColumnVector> typedArguments = new ArrayList<>();
        List<ColumnVector> referenceArguments = new ArrayList<>();
        for (DataType type : types) {
          boolean constant = round == 2 && typedArguments.isEmpty() == random.nextBoolean();
          Object repeated = numberValue(random, type, true);
          List<Object> values = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            values.add(constant ? repeated : numberValue(random, type, true));
          }
          typedArguments.add(constant ? vector(type, nullable(repeated)) : vector(type, values));
          referenceArguments.add(vector(type, values));
        }
        for (String name : List.of("pow", "power", "atan2")) {
          java.util.function.DoubleBinaryOperator operator =
              name.equals("atan2") ? Math::atan2 : Math::pow;
          compareTyped(
              name + types + " round " + round,
              REGISTRY.resolveScalar(name, types),
              MathFunctions.binaryRowWise(name, operator).resolve(types),
              typedArguments,
              referenceArguments);
        }
      }
    }
  }

  @Test
  void unixTimeKernelsMatchRowWiseInSeveralZones() {
    Random random = new Random(SEED + 16);
    List<LocalDateTime> transitions =
        List.of(
            LocalDateTime.of(2024, 3, 10, 2, 30, 0),
            LocalDateTime.of(2024, 11, 3, 1, 30, 0),
            LocalDateTime.of(1988, 4, 10, 2, 0, 0),
            LocalDateTime.of(1988, 9, 11, 1, 30, 0),
            LocalDateTime.of(1970, 1, 1, 7, 59, 59),
            LocalDateTime.of(1970, 1, 1, 8, 0, 0),
            LocalDateTime.of(1900, 12, 31, 23, 54, 17),
            LocalDateTime.of(3000, 12, 31, 23, 59, 59));
    for (String zoneName : List.of("Asia/Shanghai", "America/New_York", "UTC", "+05:30")) {
      EvaluationContext context =
          new EvaluationContext(
              ZoneId.of(zoneName), LocalDateTime.of(2024, 3, 15, 10, 20, 30), "test-query");
      for (DataType type :
          List.of(DataType.DATE, DataType.DATETIME, DataType.datetime(3), DataType.datetime(6))) {
        List<Object> values = new ArrayList<>();
        // Sorted runs and random jumps, so that the offset cache both hits and misses.
        LocalDateTime walk = LocalDateTime.of(1985, 1, 1, 0, 0);
        for (int row = 0; row < ROWS; row++) {
          LocalDateTime value;
          int choice = random.nextInt(10);
          if (choice == 0) {
            value = null;
          } else if (choice < 3) {
            value =
                transitions
                    .get(random.nextInt(transitions.size()))
                    .plusMinutes(random.nextInt(121) - 60);
          } else if (choice < 6) {
            walk = walk.plusHours(random.nextInt(2000));
            value = walk;
          } else {
            value = randomDatetime(random, true);
          }
          if (value != null) {
            value = value.withNano(value.getNano() / 1000 * 1000);
            if (type.scale() < 6) {
              int unit = (int) Math.pow(10, 9 - type.scale());
              value = value.withNano(value.getNano() / unit * unit);
            }
          }
          values.add(type.kind() == TypeKind.DATE && value != null ? value.toLocalDate() : value);
        }
        ColumnVector input = vector(type, values);
        List<DataType> types = List.of(type);
        ScalarFunction typed = REGISTRY.resolveScalar("unix_timestamp", types);
        ScalarFunction reference = DateTimeFunctions.resolveUnixTimestamp(types);
        assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
        assertSame(
            "unix_timestamp(" + type + ") in " + zoneName,
            reference.evaluate(List.of(input), ROWS, context),
            typed.evaluate(List.of(input), ROWS, context));
        DataType zoneType = DataType.varchar(40);
        for (String[] zones :
            List.of(
                new String[] {"Asia/Shanghai", "America/New_York"},
                new String[] {"+00:00", "SYSTEM"},
                new String[] {"system", "Europe/London"},
                new String[] {"UTC", "Nowhere/Zone"})) {
          List<DataType> convertTypes = List.of(type, zoneType, zoneType);
          compareTyped(
              "convert_tz(" + type + ", " + String.join(", ", zones) + ") in " + zoneName,
              REGISTRY.resolveScalar(
                  "convert_tz",
                  convertTypes,
                  List.of(FunctionRegistry.NOT_CONSTANT, zones[0], zones[1])),
              DateTimeFunctions.CONVERT_TZ_ROW_WISE.resolve(convertTypes),
              List.of(
                  input, vector(zoneType, List.of(zones[0])), vector(zoneType, List.of(zones[1]))),
              List.of(
                  input,
                  vector(zoneType, java.util.Collections.nCopies(ROWS, zones[0])),
                  vector(zoneType, java.util.Collections.nCopies(ROWS, zones[1]))),
              context);
        }
      }
      long[] edges = {
        0,
        -1,
        1,
        DateKernels.LAST_UNIX_SECOND,
        DateKernels.LAST_UNIX_SECOND + 1,
        Long.MAX_VALUE,
        Long.MIN_VALUE,
        576_000_000L,
        1_710_054_000L,
        1_730_613_600L
      };
      List<Object> seconds = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        seconds.add(
            random.nextInt(10) == 0
                ? null
                : (Object)
                    (random.nextInt(4) == 0
                        ? edges[random.nextInt(edges.length)]
                        : (long) (random.nextDouble() * 4e9) - 100_000_000L));
      }
      ColumnVector secondsVector = vector(DataType.BIGINT, seconds);
      DataType textType = DataType.varchar(40);
      compareTyped(
          "from_unixtime in " + zoneName,
          REGISTRY.resolveScalar("from_unixtime", List.of(DataType.BIGINT)),
          DateTimeFunctions.FROM_UNIXTIME_ROW_WISE.resolve(List.of(DataType.BIGINT)),
          List.of(secondsVector),
          List.of(secondsVector),
          context);
      for (String format : List.of("%Y%m%d", "yyyy-MM-dd HH:mm:ss", "%H:%i:%s.%f %j", "%W")) {
        List<DataType> types = List.of(DataType.BIGINT, textType);
        ScalarFunction typed =
            REGISTRY.resolveScalar(
                "from_unixtime", types, List.of(FunctionRegistry.NOT_CONSTANT, format));
        if (format.equals("%W")) {
          assertThat(typed).isInstanceOf(RowWiseScalarFunction.class);
          continue;
        }
        compareTyped(
            "from_unixtime " + format + " in " + zoneName,
            typed,
            DateTimeFunctions.FROM_UNIXTIME_ROW_WISE.resolve(types),
            List.of(secondsVector, vector(textType, List.of(format))),
            List.of(secondsVector, vector(textType, java.util.Collections.nCopies(ROWS, format))),
            context);
      }
    }
  }

  @Test
  void wideDecimalRoundingMatchesRowWise() {
    Random random = new Random(SEED + 11);
    Map<String, java.math.RoundingMode> modes = new LinkedHashMap<>();
    modes.put("round", java.math.RoundingMode.HALF_UP);
    modes.put("floor", java.math.RoundingMode.FLOOR);
    modes.put("ceil", java.math.RoundingMode.CEILING);
    modes.put("truncate", java.math.RoundingMode.DOWN);
    long[] digitEdges = {0, 1, -1, 2, -2, 4, 17, 18, 19, -18, -19, -20, -37, -38, -39, 30, 31, 40};
    for (DataType type :
        List.of(
            DataType.decimal(38, 4),
            DataType.decimal(38, 0),
            DataType.decimal(38, 37),
            DataType.decimal(30, 10),
            DataType.decimal(20, 2))) {
      for (int round = 0; round < 4; round++) {
        List<Object> values = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          values.add(wideDecimal(random, type));
        }
        ColumnVector input = vector(type, values);
        boolean constantDigits = round % 2 == 1;
        long repeated = digitEdges[random.nextInt(digitEdges.length)];
        List<Object> digits = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          digits.add(
              constantDigits
                  ? (Object) repeated
                  : random.nextInt(12) == 0
                      ? null
                      : (Object)
                          (random.nextInt(3) == 0
                              ? digitEdges[random.nextInt(digitEdges.length)]
                              : (long) random.nextInt(9) - 4));
        }
        ColumnVector digitsVector =
            constantDigits
                ? vector(DataType.BIGINT, List.of(repeated))
                : vector(DataType.BIGINT, digits);
        ColumnVector expandedDigits = vector(DataType.BIGINT, digits);
        List<DataType> one = List.of(type);
        List<DataType> two = List.of(type, DataType.BIGINT);
        List<Object> constants =
            List.of(
                FunctionRegistry.NOT_CONSTANT,
                constantDigits ? (Object) repeated : FunctionRegistry.NOT_CONSTANT);
        for (Map.Entry<String, java.math.RoundingMode> mode : modes.entrySet()) {
          String name = mode.getKey();
          String what = name + "(" + type + ") round " + round + " digits " + repeated;
          if (!name.equals("truncate")) {
            compareTyped(
                what,
                REGISTRY.resolveScalar(name, one),
                MathFunctions.resolveRounding(name, mode.getValue(), one, List.of(), false),
                List.of(input),
                List.of(input));
          }
          // floor and ceil read no constant digit count (their scale is the argument's).
          List<Object> known =
              name.equals("round") || name.equals("truncate")
                  ? constants
                  : List.of(FunctionRegistry.NOT_CONSTANT, FunctionRegistry.NOT_CONSTANT);
          compareTyped(
              what + " with digits",
              REGISTRY.resolveScalar(name, two, known),
              MathFunctions.resolveRounding(name, mode.getValue(), two, known, false),
              List.of(input, digitsVector),
              List.of(input, expandedDigits));
        }
      }
    }
  }

  /**
   * A DECIMAL of {@code type}'s precision (up to 38 digits): NULLs, values near the largest (±(10^p
   * - 1)), halves at a rounding position, values that fit a long, and random ones.
   */
  private static java.math.BigDecimal wideDecimal(Random random, DataType type) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    java.math.BigInteger bound = java.math.BigInteger.TEN.pow(type.precision());
    java.math.BigInteger unscaled =
        switch (random.nextInt(5)) {
          case 0 -> bound.subtract(java.math.BigInteger.valueOf(1 + random.nextInt(1000)));
          case 1 ->
              java.math.BigInteger.valueOf(5 + 10L * random.nextInt(100))
                  .multiply(java.math.BigInteger.TEN.pow(random.nextInt(type.precision() - 2)));
          case 2 -> java.math.BigInteger.valueOf(random.nextLong() % 1_000_000_000_000L);
          default ->
              new java.math.BigInteger(130, random)
                  .mod(
                      bound.divide(java.math.BigInteger.TEN.pow(random.nextInt(type.precision()))));
        };
    return new java.math.BigDecimal(
        random.nextBoolean() ? unscaled.negate() : unscaled, type.scale());
  }

  @Test
  void dateDifferencesMatchRowWise() {
    Random random = new Random(SEED + 12);
    List<String> names =
        List.of(
            "years_diff",
            "months_diff",
            "weeks_diff",
            "days_diff",
            "hours_diff",
            "minutes_diff",
            "seconds_diff",
            "microseconds_diff");
    List<String> units =
        List.of(
            "YEAR", "quarter", "MONTH", "week", "DAY", "HOUR", "minute", "SECOND", "MICROSECOND");
    DataType textType = DataType.varchar(40);
    List<List<DataType>> pairs =
        List.of(
            List.of(DataType.DATE, DataType.DATE),
            List.of(DataType.DATETIME, DataType.DATETIME),
            List.of(DataType.datetime(6), DataType.DATE),
            List.of(DataType.DATE, DataType.datetime(6)));
    for (List<DataType> pair : pairs) {
      for (int round = 0; round < 3; round++) {
        List<ColumnVector> typedArguments = new ArrayList<>();
        List<ColumnVector> expandedArguments = new ArrayList<>();
        List<ColumnVector> textArguments = new ArrayList<>();
        List<Object> firstValues = null;
        for (DataType type : pair) {
          boolean constant = round == 2 && typedArguments.isEmpty() == random.nextBoolean();
          Object repeated = nearbyTemporal(random, type, null);
          List<Object> values = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            // The second argument is often near the first, so that whole units are close calls.
            Object near = typedArguments.isEmpty() ? null : firstValues.get(row);
            values.add(constant ? repeated : nearbyTemporal(random, type, near));
          }
          if (typedArguments.isEmpty()) {
            firstValues = values;
          }
          List<String> texts = new ArrayList<>();
          for (Object value : values) {
            texts.add(text(value));
          }
          typedArguments.add(constant ? vector(type, nullable(repeated)) : vector(type, values));
          expandedArguments.add(vector(type, values));
          textArguments.add(vector(textType, texts));
        }
        for (String name : names) {
          compareTyped(
              name + pair + " round " + round,
              REGISTRY.resolveScalar(name, pair),
              REGISTRY.resolveScalar(name, List.of(textType, textType)),
              typedArguments,
              textArguments);
        }
        for (String unit : units) {
          List<DataType> types = List.of(textType, pair.get(0), pair.get(1));
          ColumnVector unitVector = vector(textType, List.of(unit));
          ColumnVector expandedUnit = vector(textType, java.util.Collections.nCopies(ROWS, unit));
          List<ColumnVector> typed = new ArrayList<>(List.of(unitVector));
          typed.addAll(typedArguments);
          List<ColumnVector> reference = new ArrayList<>(List.of(expandedUnit));
          reference.addAll(expandedArguments);
          compareTyped(
              "timestampdiff " + unit + " " + pair + " round " + round,
              REGISTRY.resolveScalar(
                  "timestampdiff",
                  types,
                  List.of(unit, FunctionRegistry.NOT_CONSTANT, FunctionRegistry.NOT_CONSTANT)),
              DateTimeFunctions.TIMESTAMPDIFF_ROW_WISE.resolve(types),
              typed,
              reference);
        }
      }
    }
    // A unit that is not constant, or unknown, keeps the row-wise body (which reports it).
    List<DataType> types = List.of(textType, DataType.DATE, DataType.DATE);
    assertThat(REGISTRY.resolveScalar("timestampdiff", types))
        .isInstanceOf(RowWiseScalarFunction.class);
    assertThat(
            REGISTRY.resolveScalar(
                "timestampdiff",
                types,
                List.of("fortnight", FunctionRegistry.NOT_CONSTANT, FunctionRegistry.NOT_CONSTANT)))
        .isInstanceOf(RowWiseScalarFunction.class);
  }

  /**
   * A DATE or DATETIME value: at random near {@code near} (the same or next day, or a month or a
   * year apart, at a time of day just before or after its own), else random with edges.
   */
  private Object nearbyTemporal(Random random, DataType type, Object near) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    LocalDateTime value;
    if (near != null && random.nextInt(3) > 0) {
      LocalDateTime base =
          near instanceof LocalDate date ? date.atStartOfDay() : (LocalDateTime) near;
      value =
          switch (random.nextInt(5)) {
            case 0 -> base.plusDays(random.nextInt(3) - 1);
            case 1 -> base.plusMonths(random.nextInt(3) - 1);
            case 2 -> base.plusYears(random.nextInt(3) - 1);
            case 3 -> base.plusWeeks(random.nextInt(3) - 1);
            default -> base.plusSeconds(random.nextInt(7201) - 3600);
          };
      value = value.plusNanos((random.nextInt(3) - 1) * 1000L);
      if (value.getYear() < 1 || value.getYear() > 9999) {
        value = base;
      }
    } else {
      value = randomDatetime(random, true);
    }
    if (type.kind() == TypeKind.DATE) {
      return value.toLocalDate();
    }
    return type.scale() == 0 ? value.withNano(0) : value;
  }

  @Test
  void dateFieldKernelsMatchRowWise() {
    Random random = new Random(SEED + 13);
    DataType textType = DataType.varchar(40);
    for (DataType type : List.of(DataType.DATE, DataType.DATETIME, DataType.datetime(6))) {
      for (int round = 0; round < 3; round++) {
        boolean constant = round == 2;
        Object repeated = nearbyTemporal(random, type, null);
        List<Object> values = new ArrayList<>();
        List<Object> modes = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          values.add(constant ? repeated : nearbyTemporal(random, type, null));
          modes.add(
              random.nextInt(10) == 0
                  ? null
                  : (Object) (random.nextInt(8) == 0 ? random.nextLong() : random.nextInt(8)));
        }
        List<String> texts = new ArrayList<>();
        for (Object value : values) {
          texts.add(text(value));
        }
        ColumnVector input = constant ? vector(type, nullable(repeated)) : vector(type, values);
        ColumnVector expanded = vector(type, values);
        ColumnVector textInput = vector(textType, texts);
        for (String name :
            List.of(
                "weekofyear",
                "week",
                "yearweek",
                "monthname",
                "dayname",
                "last_day",
                "to_days",
                "to_monday")) {
          String what = name + "(" + type + ") round " + round;
          compareTyped(
              what,
              REGISTRY.resolveScalar(name, List.of(type)),
              DateTimeFunctions.referenceOf(name) != null
                  ? DateTimeFunctions.referenceOf(name).resolve(List.of(textType))
                  : REGISTRY.resolveScalar(name, List.of(textType)),
              List.of(constant ? expanded : input),
              List.of(textInput));
        }
        List<Object> others = new ArrayList<>();
        List<Long> seconds = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          others.add(nearbyTemporal(random, DataType.datetime(6), values.get(row)));
          long[] edges = {0, -1, 3_020_399, 3_020_400, -3_020_400, Long.MAX_VALUE, Long.MIN_VALUE};
          seconds.add(
              random.nextInt(10) == 0
                  ? null
                  : random.nextInt(4) == 0
                      ? edges[random.nextInt(edges.length)]
                      : (long) random.nextInt(8_000_001) - 4_000_000);
        }
        List<DataType> pair = List.of(type, DataType.datetime(6));
        compareTyped(
            "timediff(" + type + ") round " + round,
            REGISTRY.resolveScalar("timediff", pair),
            DateTimeFunctions.TIMEDIFF_ROW_WISE.resolve(pair),
            List.of(input, vector(DataType.datetime(6), others)),
            List.of(expanded, vector(DataType.datetime(6), others)));
        ColumnVector secondsVector = vector(DataType.BIGINT, seconds);
        compareTyped(
            "sec_to_time round " + round,
            REGISTRY.resolveScalar("sec_to_time", List.of(DataType.BIGINT)),
            DateTimeFunctions.SEC_TO_TIME_ROW_WISE.resolve(List.of(DataType.BIGINT)),
            List.of(secondsVector),
            List.of(secondsVector));
        ColumnVector modeVector = vector(DataType.BIGINT, modes);
        for (String name : List.of("week", "yearweek")) {
          compareTyped(
              name + "(" + type + ", mode) round " + round,
              REGISTRY.resolveScalar(name, List.of(type, DataType.BIGINT)),
              DateTimeFunctions.referenceOf(name).resolve(List.of(textType, DataType.BIGINT)),
              List.of(input, modeVector),
              List.of(textInput, modeVector));
        }
        for (String unit :
            List.of(
                "YEAR",
                "quarter",
                "MONTH",
                "week",
                "DAY",
                "hour",
                "MINUTE",
                "second",
                "MICROSECOND")) {
          List<DataType> types = List.of(textType, type);
          compareTyped(
              "extract " + unit + " " + type + " round " + round,
              REGISTRY.resolveScalar(
                  "extract", types, List.of(unit, FunctionRegistry.NOT_CONSTANT)),
              DateTimeFunctions.EXTRACT_ROW_WISE.resolve(types),
              List.of(vector(textType, List.of(unit)), input),
              List.of(vector(textType, java.util.Collections.nCopies(ROWS, unit)), expanded));
        }
      }
    }
  }

  @Test
  void mathKernelsOfTwoArgumentsMatchRowWise() {
    Random random = new Random(SEED + 14);
    for (List<DataType> types :
        List.of(
            List.of(DataType.DOUBLE, DataType.DOUBLE),
            List.of(DataType.BIGINT, DataType.INT),
            List.of(DataType.BIGINT, DataType.BIGINT),
            List.of(DataType.DOUBLE, DataType.BIGINT))) {
      for (int round = 0; round < 3; round++) {
        List<ColumnVector> typedArguments = new ArrayList<>();
        List<ColumnVector> referenceArguments = new ArrayList<>();
        for (DataType type : types) {
          boolean constant = round == 2 && typedArguments.isEmpty() == random.nextBoolean();
          Object repeated = mathValue(random, type);
          List<Object> values = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            values.add(constant ? repeated : mathValue(random, type));
          }
          typedArguments.add(constant ? vector(type, nullable(repeated)) : vector(type, values));
          referenceArguments.add(vector(type, values));
        }
        String what = types + " round " + round;
        Map<String, ScalarFunction> references = new LinkedHashMap<>();
        references.put(
            "fmod", MathFunctions.binaryRowWise("fmod", MathFunctions::fmod).resolve(types));
        references.put("pmod", MathFunctions.PMOD_ROW_WISE.resolve(types));
        references.put(
            "log", MathFunctions.binaryRowWise("log", MathFunctions::log).resolve(types));
        references.put("atan", MathFunctions.binaryRowWise("atan", Math::atan2).resolve(types));
        references.put("xor", ConditionalFunctions.XOR_ROW_WISE.resolve(types));
        if (types.get(0).kind() != TypeKind.DOUBLE && types.get(1).kind() != TypeKind.DOUBLE) {
          references.put("gcd", MathFunctions.GCD_ROW_WISE.resolve(types));
          references.put("lcm", MathFunctions.LCM_ROW_WISE.resolve(types));
        }
        for (Map.Entry<String, ScalarFunction> reference : references.entrySet()) {
          compareTyped(
              reference.getKey() + " " + what,
              REGISTRY.resolveScalar(reference.getKey(), types),
              reference.getValue(),
              typedArguments,
              referenceArguments);
        }
      }
    }
  }

  /** A number for the math kernels: NULLs, zeros, -0.0, NaN, the BIGINT bounds, small values. */
  private static Object mathValue(Random random, DataType type) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    if (type.kind() == TypeKind.DOUBLE) {
      double[] edges = {0.0, -0.0, 1.0, -1.0, 0.5, Double.NaN, 1e300, -1e-300, 7.0, -7.5};
      return random.nextInt(3) == 0
          ? edges[random.nextInt(edges.length)]
          : (random.nextDouble() - 0.5) * Math.pow(10, random.nextInt(8) - 2);
    }
    long[] edges = {0, 1, -1, 2, -6, 12, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, 3_037_000_500L};
    long value =
        random.nextInt(3) == 0 ? edges[random.nextInt(edges.length)] : random.nextInt(201) - 100;
    return type.kind() == TypeKind.INT ? (long) (int) value : value;
  }

  @Test
  void signAndNvl2MatchRowWise() {
    Random random = new Random(SEED + 15);
    for (DataType type :
        List.of(
            DataType.INT,
            DataType.BIGINT,
            DataType.DOUBLE,
            DataType.decimal(10, 2),
            DataType.decimal(38, 4))) {
      List<Object> values = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        values.add(
            type.precision() > 18 ? wideDecimal(random, type) : numberValue(random, type, true));
      }
      if (type.kind() == TypeKind.DOUBLE) {
        values.set(0, -0.0);
        values.set(1, Double.NaN);
      }
      ColumnVector input = vector(type, values);
      compareTyped(
          "sign(" + type + ")",
          REGISTRY.resolveScalar("sign", List.of(type)),
          MathFunctions.signRowWise(List.of(type)),
          List.of(input),
          List.of(input));
    }
    List<List<DataType>> signatures =
        List.of(
            List.of(DataType.varchar(10), DataType.BIGINT, DataType.INT),
            List.of(DataType.INT, DataType.decimal(12, 2), DataType.decimal(18, 4)),
            List.of(DataType.DOUBLE, DataType.DOUBLE, DataType.INT),
            List.of(DataType.DATE, DataType.varchar(20), DataType.STRING),
            List.of(DataType.BIGINT, DataType.decimal(30, 3), DataType.decimal(20, 1)));
    for (int round = 0; round < 3; round++) {
      for (List<DataType> types : signatures) {
        List<ColumnVector> typedArguments = new ArrayList<>();
        List<ColumnVector> referenceArguments = new ArrayList<>();
        for (DataType type : types) {
          boolean constant = round > 0 && random.nextInt(3) == 0;
          Object repeated = randomValue(random, type);
          List<Object> values = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            values.add(constant ? repeated : randomValue(random, type));
          }
          typedArguments.add(constant ? vector(type, nullable(repeated)) : vector(type, values));
          referenceArguments.add(vector(type, values));
        }
        compareTyped(
            "nvl2 " + types + " round " + round,
            REGISTRY.resolveScalar("nvl2", types),
            ConditionalFunctions.NVL2_ROW_WISE.resolve(types),
            typedArguments,
            referenceArguments);
      }
    }
  }

  /**
   * A number of {@code type} with NULLs, halves, negative values and (with {@code extremes})
   * BIGINTs near the bounds, which a rounding may take out of range.
   */
  private static Object numberValue(Random random, DataType type, boolean extremes) {
    if (random.nextInt(10) == 0) {
      return null;
    }
    int choice = random.nextInt(6);
    if (!extremes && type.kind() == TypeKind.BIGINT && choice < 2) {
      return random.nextLong() >> 5;
    }
    return switch (type.kind()) {
      case INT -> (long) (choice == 0 ? random.nextInt() : random.nextInt(20_001) - 10_000);
      case BIGINT ->
          choice == 0
              ? random.nextLong()
              : choice == 1
                  ? (random.nextBoolean()
                      ? Long.MAX_VALUE - random.nextInt(10)
                      : Long.MIN_VALUE + 1)
                  : (long) random.nextInt(2_000_001) - 1_000_000;
      case LARGEINT ->
          java.math.BigInteger.valueOf(random.nextLong()).shiftLeft(random.nextInt(60));
      case DOUBLE ->
          switch (choice) {
            case 0 -> (random.nextInt(21) - 10) / 2.0;
            case 1 ->
                new double[] {0.0, -0.0, 0.49999999999999994, -0.5, 2.675, 1e300, -1e-300}
                    [random.nextInt(7)];
            case 2 -> (random.nextDouble() - 0.5) * 1e20;
            default -> (random.nextDouble() - 0.5) * 2000;
          };
      default -> {
        int digits = Math.min(type.precision(), 18);
        long bound = ScaledDecimalsBound.of(digits);
        long unscaled =
            choice == 0
                ? (random.nextBoolean() ? bound - 1 : 1 - bound)
                : choice == 1 ? (random.nextInt(21) - 10) * 5 : random.nextLong() % bound;
        java.math.BigDecimal value = java.math.BigDecimal.valueOf(unscaled, type.scale());
        yield type.precision() > 18 && random.nextBoolean()
            ? value.multiply(java.math.BigDecimal.TEN.pow(type.precision() - 19))
            : value;
      }
    };
  }

  /** 10^digits for the random decimals. */
  private static final class ScaledDecimalsBound {
    static long of(int digits) {
      return dev.basalt.common.vector.ScaledDecimals.powerOfTen(digits);
    }
  }

  private static void compareTyped(
      String what,
      ScalarFunction typed,
      ScalarFunction reference,
      List<ColumnVector> typedArguments,
      List<ColumnVector> referenceArguments) {
    compareTyped(what, typed, reference, typedArguments, referenceArguments, CONTEXT);
  }

  private static void compareTyped(
      String what,
      ScalarFunction typed,
      ScalarFunction reference,
      List<ColumnVector> typedArguments,
      List<ColumnVector> referenceArguments,
      EvaluationContext context) {
    assertThat(typed).as(what).isNotInstanceOf(RowWiseScalarFunction.class);
    assertThat(reference).as(what).isInstanceOf(RowWiseScalarFunction.class);
    ColumnVector expected;
    try {
      expected = reference.evaluate(referenceArguments, ROWS, context);
    } catch (dev.basalt.common.error.BasaltException error) {
      // A value out of range: the kernel must report the same row.
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> typed.evaluate(typedArguments, ROWS, context))
          .as(what)
          .hasMessage(error.getMessage());
      return;
    }
    assertSame(what, expected, typed.evaluate(typedArguments, ROWS, context));
  }

  /** A random value of {@code type} (NULL one time in eight), with repeats so that some match. */
  private Object randomValue(Random random, DataType type) {
    if (random.nextInt(8) == 0) {
      return null;
    }
    return switch (type.kind()) {
      case TINYINT -> (long) (random.nextInt(9) - 4);
      case INT, BIGINT -> (long) (random.nextInt(9) - 4) * (random.nextBoolean() ? 1 : 1_000_003);
      case LARGEINT ->
          java.math.BigInteger.valueOf(random.nextInt(9) - 4).shiftLeft(random.nextInt(100));
      case DOUBLE -> random.nextInt(20) == 0 ? -0.0 : (random.nextInt(9) - 4) / 4.0;
      case DECIMAL -> {
        int digits = Math.min(type.precision(), 18);
        long bound = (long) Math.pow(10, digits - 1);
        long unscaled = random.nextBoolean() ? random.nextInt(9) - 4 : random.nextLong() % bound;
        java.math.BigDecimal value = java.math.BigDecimal.valueOf(unscaled, type.scale());
        yield type.precision() > 18 && random.nextBoolean()
            ? value.add(java.math.BigDecimal.TEN.pow(type.precision() - type.scale() - 1))
            : value;
      }
      case DATE -> LocalDate.of(2024, 1, 1).plusDays(random.nextInt(5));
      case DATETIME -> LocalDateTime.of(2024, 1, 1, 0, 0).plusHours(random.nextInt(5));
      default -> SMALL_ALPHABET[random.nextInt(SMALL_ALPHABET.length)];
    };
  }

  private Object randomTemporal(Random random, DataType type) {
    LocalDate date = randomNullable(random, this::randomDate);
    return date == null || type.kind() == TypeKind.DATE
        ? date
        : date.atTime(random.nextInt(24), random.nextInt(60), random.nextInt(60));
  }

  private static String text(Object value) {
    return switch (value) {
      case null -> null;
      case LocalDateTime datetime -> DATETIME_TEXT.format(datetime);
      default -> value.toString();
    };
  }

  private record StringCase(String name, ScalarFunctionResolver rowWise) {}

  private <T> void compareWithText(
      String function, DataType type, List<T> values, Function<T, String> text, int round) {
    ScalarFunction typed = REGISTRY.resolveScalar(function, List.of(type));
    assertThat(typed).as(function).isNotInstanceOf(RowWiseScalarFunction.class);
    DataType textType = DataType.varchar(40);
    ScalarFunction reference = rowWiseOfText(function, textType);
    List<String> texts = new ArrayList<>();
    for (T value : values) {
      texts.add(value == null ? null : text.apply(value));
    }
    ColumnVector expected =
        reference.evaluate(List.of(vector(textType, texts)), values.size(), CONTEXT);
    assertSame(
        function + "(" + type + ") round " + round,
        expected,
        typed.evaluate(List.of(vector(type, values)), values.size(), CONTEXT));
    // The same function of the text: a CAST kernel, then the typed kernel.
    ScalarFunction ofText = REGISTRY.resolveScalar(function, List.of(textType));
    assertThat(ofText).as(function).isNotInstanceOf(RowWiseScalarFunction.class);
    assertSame(
        function + "(text of " + type + ") round " + round,
        expected,
        ofText.evaluate(List.of(vector(textType, texts)), values.size(), CONTEXT));
  }

  /** The row-wise reference of a date field, {@code date} or {@code timestamp} of a text. */
  private static ScalarFunction rowWiseOfText(String function, DataType textType) {
    ScalarFunctionResolver resolver =
        switch (function) {
          case "date", "to_date" -> DateTimeFunctions.DATE_ROW_WISE;
          case "timestamp" -> DateTimeFunctions.TIMESTAMP_ROW_WISE;
          default -> DateTimeFunctions.referenceOf(function);
        };
    ScalarFunction reference = resolver.resolve(List.of(textType));
    assertThat(reference).as(function).isInstanceOf(RowWiseScalarFunction.class);
    return reference;
  }

  @Test
  void dateFunctionsOfMalformedTextMatchRowWise() {
    Random random = new Random(SEED + 21);
    List<String> functions = new ArrayList<>(DATE_FUNCTIONS);
    functions.add("timestamp");
    String[] shapes = {
      "2024-01-05", "2024-1-5 7:08:09", "20240105", "2024-02-30", " 2024-01-05 ",
          "2024-01-05T10:11",
      "24-01-05", "2024-01-05 10:11:12.1234567", "9999-12-31 23:59:59.9999995", "abc", "", "é2024",
      "2024/01/05 10:11", "0000-00-00", "2024-01-05 25:00:00"
    };
    for (int round = 0; round < 4; round++) {
      List<Object> texts = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        String text =
            random.nextBoolean()
                ? DATETIME_TEXT.format(randomDatetime(random, true))
                : shapes[random.nextInt(shapes.length)];
        texts.add(random.nextInt(10) == 0 ? null : damage(random, text, "0 :-.T"));
      }
      for (DataType textType : List.of(DataType.varchar(40), DataType.STRING)) {
        for (String function : functions) {
          ScalarFunction typed = REGISTRY.resolveScalar(function, List.of(textType));
          assertThat(typed).as(function).isNotInstanceOf(RowWiseScalarFunction.class);
          ScalarFunction reference = rowWiseOfText(function, textType);
          Object constant = texts.get(random.nextInt(ROWS));
          compareTyped(
              function + " round " + round,
              typed,
              reference,
              List.of(vector(textType, texts)),
              List.of(vector(textType, texts)));
          compareTyped(
              function + " of '" + constant + "' round " + round,
              typed,
              reference,
              List.of(vector(textType, nullable(constant))),
              List.of(vector(textType, java.util.Collections.nCopies(ROWS, constant))));
        }
        List<Object> datetimes = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          datetimes.add(randomNullable(random, r -> randomDatetime(r, true)));
        }
        ColumnVector textVector = vector(textType, texts);
        List<Object> rotated = new ArrayList<>(texts);
        java.util.Collections.rotate(rotated, 7);
        ColumnVector datetimeVector = vector(DataType.datetime(6), datetimes);
        for (List<ColumnVector> arguments :
            List.of(
                List.of(textVector, vector(textType, rotated)),
                List.of(textVector, datetimeVector),
                List.of(datetimeVector, textVector))) {
          List<DataType> types = arguments.stream().map(ColumnVector::type).toList();
          ScalarFunction typed = REGISTRY.resolveScalar("timediff", types);
          assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
          compareTyped(
              "timediff " + types + " round " + round,
              typed,
              DateTimeFunctions.TIMEDIFF_ROW_WISE.resolve(types),
              arguments,
              arguments);
        }
        List<DataType> zoneTypes = List.of(textType, DataType.varchar(20), DataType.varchar(20));
        ScalarFunction convertTz =
            REGISTRY.resolveScalar(
                "convert_tz",
                zoneTypes,
                List.of(FunctionRegistry.NOT_CONSTANT, "+00:00", "Asia/Tokyo"));
        compareTyped(
            "convert_tz of a text, round " + round,
            convertTz,
            DateTimeFunctions.CONVERT_TZ_ROW_WISE.resolve(zoneTypes),
            List.of(
                textVector,
                vector(DataType.varchar(20), nullable("+00:00")),
                vector(DataType.varchar(20), nullable("Asia/Tokyo"))),
            List.of(
                textVector,
                vector(DataType.varchar(20), java.util.Collections.nCopies(ROWS, "+00:00")),
                vector(DataType.varchar(20), java.util.Collections.nCopies(ROWS, "Asia/Tokyo"))));
        for (String function :
            List.of(
                "week", "yearweek", "monthname", "dayname", "last_day", "to_days", "to_monday")) {
          List<DataType> types = List.of(textType);
          ScalarFunction typed = REGISTRY.resolveScalar(function, types);
          assertThat(typed).as(function).isNotInstanceOf(RowWiseScalarFunction.class);
          compareTyped(
              function + " of a text, round " + round,
              typed,
              DateTimeFunctions.referenceOf(function).resolve(types),
              List.of(textVector),
              List.of(textVector));
        }
        List<Object> dates = new ArrayList<>();
        for (int row = 0; row < ROWS; row++) {
          dates.add(randomNullable(random, this::randomDate));
        }
        ColumnVector dateVector = vector(DataType.DATE, dates);
        for (List<ColumnVector> arguments :
            List.of(
                List.of(textVector, vector(textType, rotated)),
                List.of(textVector, dateVector),
                List.of(dateVector, textVector),
                List.of(vector(textType, nullable(texts.get(3))), textVector))) {
          List<DataType> types = arguments.stream().map(ColumnVector::type).toList();
          List<ColumnVector> expanded =
              arguments.get(0).size() == 1
                  ? List.of(
                      vector(textType, java.util.Collections.nCopies(ROWS, texts.get(3))),
                      textVector)
                  : arguments;
          compareTyped(
              "datediff " + types + " round " + round,
              REGISTRY.resolveScalar("datediff", types),
              DateTimeFunctions.referenceOf("datediff").resolve(types),
              arguments,
              expanded);
        }
        for (String format : List.of("%Y-%m-%d", "%H:%i:%s.%f", "%d.%m.%y %T")) {
          List<DataType> types = List.of(textType, DataType.varchar(20));
          ScalarFunction typed =
              REGISTRY.resolveScalar(
                  "date_format", types, List.of(FunctionRegistry.NOT_CONSTANT, format));
          compareTyped(
              "date_format of a text '" + format + "' round " + round,
              typed,
              DateTimeFunctions.DATE_FORMAT_ROW_WISE.resolve(types),
              List.of(textVector, vector(DataType.varchar(20), nullable(format))),
              List.of(
                  textVector,
                  vector(DataType.varchar(20), java.util.Collections.nCopies(ROWS, format))));
        }
        for (String function : List.of("week", "yearweek")) {
          List<DataType> types = List.of(textType, DataType.INT);
          List<Object> modes = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            modes.add(random.nextInt(10) == 0 ? null : (long) random.nextInt(8));
          }
          ColumnVector modeVector = vector(DataType.INT, modes);
          compareTyped(
              function + " of a text and a mode, round " + round,
              REGISTRY.resolveScalar(function, types),
              DateTimeFunctions.referenceOf(function).resolve(types),
              List.of(textVector, modeVector),
              List.of(textVector, modeVector));
        }
        for (boolean subtract : new boolean[] {false, true}) {
          String name = subtract ? "subtime" : "addtime";
          List<Object> times = new ArrayList<>();
          for (int row = 0; row < ROWS; row++) {
            times.add(
                random.nextInt(10) == 0 ? null : TIME_TEXTS[random.nextInt(TIME_TEXTS.length)]);
          }
          List<DataType> types = List.of(textType, DataType.varchar(30));
          ScalarFunction typed = REGISTRY.resolveScalar(name, types);
          assertThat(typed).as(name).isNotInstanceOf(RowWiseScalarFunction.class);
          compareTyped(
              name + " of a text, round " + round,
              typed,
              DateTimeFunctions.addTimeRowWise(subtract ? "sub_time" : "add_time", subtract)
                  .resolve(types),
              List.of(vector(textType, texts), vector(DataType.varchar(30), times)),
              List.of(vector(textType, texts), vector(DataType.varchar(30), times)));
        }
      }
    }
  }

  @Test
  void timestampOfDatesAndDatetimesMatchesRowWise() {
    Random random = new Random(SEED + 22);
    for (DataType type : List.of(DataType.DATE, DataType.DATETIME, DataType.datetime(3))) {
      List<Object> values = new ArrayList<>();
      for (int row = 0; row < ROWS; row++) {
        values.add(
            random.nextInt(10) == 0
                ? null
                : type.kind() == TypeKind.DATE
                    ? randomDate(random)
                    : randomDatetime(random, type.scale() > 0)
                        .withNano(type.scale() > 0 ? random.nextInt(1000) * 1_000_000 : 0));
      }
      List<DataType> types = List.of(type);
      ScalarFunction typed = REGISTRY.resolveScalar("timestamp", types);
      assertThat(typed).isNotInstanceOf(RowWiseScalarFunction.class);
      compareTyped(
          "timestamp(" + type + ")",
          typed,
          DateTimeFunctions.TIMESTAMP_ROW_WISE.resolve(types),
          List.of(vector(type, values)),
          List.of(vector(type, values)));
    }
  }

  private static void assertSame(String what, ColumnVector expected, ColumnVector actual) {
    assertThat(actual.type()).as(what + " type (seed " + SEED + ")").isEqualTo(expected.type());
    assertThat(actual.size()).isEqualTo(expected.size());
    for (int row = 0; row < expected.size(); row++) {
      assertThat(actual.isNull(row))
          .as(what + " null at row " + row + " (seed " + SEED + ")")
          .isEqualTo(expected.isNull(row));
      assertThat(actual.getObject(row))
          .as(what + " row " + row + " (seed " + SEED + ")")
          .isEqualTo(expected.getObject(row));
    }
  }

  private static ColumnVector vector(DataType type, List<?> values) {
    ColumnVectorBuilder builder = new ColumnVectorBuilder(type, values.size());
    for (Object value : values) {
      builder.appendObject(value);
    }
    return builder.build();
  }

  private static <T> T randomNullable(Random random, Function<Random, T> generator) {
    return random.nextInt(10) == 0 ? null : generator.apply(random);
  }

  private LocalDate randomDate(Random random) {
    if (random.nextInt(5) == 0) {
      return EDGE_DATES.get(random.nextInt(EDGE_DATES.size()));
    }
    return LocalDate.ofEpochDay(FIRST_DAY + (long) (random.nextDouble() * (LAST_DAY - FIRST_DAY)));
  }

  private LocalDateTime randomDatetime(Random random, boolean microseconds) {
    LocalDate date = randomDate(random);
    int choice = random.nextInt(4);
    if (choice == 0) {
      return date.atStartOfDay();
    }
    if (choice == 1) {
      return date.atTime(23, 59, 59, microseconds ? 999_999_000 : 0);
    }
    return date.atTime(
        random.nextInt(24),
        random.nextInt(60),
        random.nextInt(60),
        microseconds ? random.nextInt(1_000_000) * 1000 : 0);
  }

  private static final String[] PIECES = {
    "a", "Z", "q", "0", " ", "-", "_", "~", "é", "É", "ß", "İ", "ı", "Σ", "ς", "中", "😀", "ǅ", "ﬁ"
  };

  private static String randomString(Random random, boolean asciiOnly) {
    int length = random.nextInt(8) == 0 ? 0 : random.nextInt(24);
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < length; i++) {
      if (asciiOnly || random.nextInt(6) != 0) {
        text.append((char) (32 + random.nextInt(95)));
      } else {
        text.append(PIECES[8 + random.nextInt(PIECES.length - 8)]);
      }
    }
    if (random.nextInt(3) == 0) {
      return "  ".substring(random.nextInt(3) / 2) + text + " ".repeat(random.nextInt(3));
    }
    return text.toString();
  }
}
