package dev.basalt.exec.function;

import static dev.basalt.exec.function.FunctionTesting.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.basalt.common.error.BasaltException;
import dev.basalt.common.type.DataType;
import org.junit.jupiter.api.Test;

class StringFunctionsTest {

  @Test
  void concatenation() {
    assertThat(call("concat", str("a"), str("b"), str("c"))).isEqualTo("abc");
    assertThat(call("concat", str("a"), integer(1), dbl(2.5), dec("1.50"), date("2024-01-02")))
        .isEqualTo("a12.51.502024-01-02");
    assertThat(call("concat", str("a"), nullOf(DataType.STRING))).isNull();
    assertThat(call("concat_ws", str(","), str("a"), nullOf(DataType.STRING), str("b")))
        .isEqualTo("a,b");
    assertThat(call("concat_ws", nullOf(DataType.STRING), str("a"))).isNull();
    assertThat(call("concat_ws", str("-"), nullOf(DataType.STRING))).isEqualTo("");
  }

  @Test
  void lengths() {
    assertThat(call("length", str("日本"))).isEqualTo(6L);
    assertThat(call("char_length", str("日本"))).isEqualTo(2L);
    assertThat(call("character_length", str("😀a"))).isEqualTo(2L);
    assertThat(call("length", str("😀"))).isEqualTo(4L);
    assertThat(call("length", integer(123))).isEqualTo(3L);
    assertThat(returnType("length", str("x"))).isEqualTo(DataType.INT);
    assertThat(call("length", nullOf(DataType.STRING))).isNull();
  }

  @Test
  void caseConversion() {
    assertThat(call("upper", str("abc"))).isEqualTo("ABC");
    assertThat(call("ucase", str("ß"))).isEqualTo("SS");
    assertThat(call("lower", str("ÀB"))).isEqualTo("àb");
    assertThat(call("lcase", str("X"))).isEqualTo("x");
  }

  @Test
  void substrings() {
    assertThat(call("substring", str("Quadratically"), bigint(5))).isEqualTo("ratically");
    assertThat(call("substring", str("Quadratically"), bigint(5), bigint(6))).isEqualTo("ratica");
    assertThat(call("substr", str("Sakila"), bigint(-3))).isEqualTo("ila");
    assertThat(call("substr", str("Sakila"), bigint(-5), bigint(3))).isEqualTo("aki");
    assertThat(call("substring", str("Sakila"), bigint(0))).isEqualTo("");
    assertThat(call("substring", str("Sakila"), bigint(10))).isEqualTo("");
    assertThat(call("substring", str("Sakila"), bigint(-10))).isEqualTo("");
    assertThat(call("substring", str("Sakila"), bigint(2), bigint(-1))).isEqualTo("");
    assertThat(call("substring", str("日本語"), bigint(2), bigint(1))).isEqualTo("本");
    assertThat(call("left", str("foobar"), bigint(3))).isEqualTo("foo");
    assertThat(call("left", str("foobar"), bigint(-1))).isEqualTo("");
    assertThat(call("right", str("foobar"), bigint(2))).isEqualTo("ar");
    assertThat(call("right", str("foobar"), bigint(10))).isEqualTo("foobar");
    assertThat(call("substring_index", str("www.mysql.com"), str("."), bigint(2)))
        .isEqualTo("www.mysql");
    assertThat(call("substring_index", str("www.mysql.com"), str("."), bigint(-2)))
        .isEqualTo("mysql.com");
    assertThat(call("substring_index", str("www.mysql.com"), str("."), bigint(5)))
        .isEqualTo("www.mysql.com");
    assertThat(call("substring_index", str("www.mysql.com"), str("."), bigint(0))).isEqualTo("");
    assertThat(call("split_part", str("a,b,c"), str(","), bigint(2))).isEqualTo("b");
    assertThat(call("split_part", str("a,b,c"), str(","), bigint(-1))).isEqualTo("c");
    assertThat(call("split_part", str("a,b,c"), str(","), bigint(4))).isNull();
  }

  @Test
  void trimming() {
    assertThat(call("trim", str("  bar  "))).isEqualTo("bar");
    assertThat(call("ltrim", str("  bar  "))).isEqualTo("bar  ");
    assertThat(call("rtrim", str("  bar  "))).isEqualTo("  bar");
    assertThat(call("trim", str("LEADING"), str("x"), str("xxbarxx"))).isEqualTo("barxx");
    assertThat(call("trim", str("BOTH"), str("x"), str("xxbarxx"))).isEqualTo("bar");
    assertThat(call("trim", str("TRAILING"), str("xyz"), str("barxxyzxyz"))).isEqualTo("barx");
    assertThat(call("trim", str("xxbarxx"), str("x"))).isEqualTo("bar");
    assertThat(call("trim", str("BOTH"), str("x"), str("xxxx"))).isEqualTo("");
    assertThatThrownBy(() -> call("trim", str("SIDEWAYS"), str("x"), str("x")))
        .isInstanceOf(BasaltException.class);
  }

  @Test
  void padding() {
    assertThat(call("lpad", str("hi"), bigint(4), str("??"))).isEqualTo("??hi");
    assertThat(call("lpad", str("hi"), bigint(5), str("ab"))).isEqualTo("abahi");
    assertThat(call("lpad", str("hello"), bigint(1), str("??"))).isEqualTo("h");
    assertThat(call("rpad", str("hi"), bigint(5), str("?"))).isEqualTo("hi???");
    assertThat(call("rpad", str("hi"), bigint(-1), str("?"))).isNull();
    assertThat(call("rpad", str("hi"), bigint(5), str(""))).isEqualTo("");
  }

  @Test
  void searching() {
    assertThat(call("instr", str("foobarbar"), str("bar"))).isEqualTo(4L);
    assertThat(call("instr", str("xbar"), str("foobar"))).isEqualTo(0L);
    assertThat(call("locate", str("bar"), str("foobarbar"))).isEqualTo(4L);
    assertThat(call("locate", str("bar"), str("foobarbar"), bigint(5))).isEqualTo(7L);
    assertThat(call("locate", str("本"), str("日本日本"), bigint(3))).isEqualTo(4L);
    assertThat(call("position", str("bar"), str("foobarbar"))).isEqualTo(4L);
    assertThat(call("find_in_set", str("b"), str("a,b,c"))).isEqualTo(2L);
    assertThat(call("find_in_set", str("d"), str("a,b,c"))).isEqualTo(0L);
    assertThat(call("starts_with", str("hello"), str("he"))).isEqualTo(true);
    assertThat(call("ends_with", str("hello"), str("lo"))).isEqualTo(true);
    assertThat(call("ends_with", str("hello"), str("he"))).isEqualTo(false);
  }

  @Test
  void misc() {
    assertThat(call("replace", str("www.mysql.com"), str("w"), str("Ww")))
        .isEqualTo("WwWwWw.mysql.com");
    assertThat(call("replace", str("abc"), str(""), str("x"))).isEqualTo("abc");
    assertThat(call("reverse", str("abc日"))).isEqualTo("日cba");
    assertThat(call("repeat", str("ab"), bigint(3))).isEqualTo("ababab");
    assertThat(call("repeat", str("ab"), bigint(0))).isEqualTo("");
    assertThat(call("space", bigint(3))).isEqualTo("   ");
    assertThat(call("strcmp", str("text"), str("text2"))).isEqualTo(-1L);
    assertThat(call("strcmp", str("b"), str("a"))).isEqualTo(1L);
    assertThat(call("strcmp", str("a"), str("a"))).isEqualTo(0L);
    assertThat(call("ascii", str("2"))).isEqualTo(50L);
    assertThat(call("ascii", str(""))).isEqualTo(0L);
    assertThat(call("char", bigint(77), bigint(121), bigint(83), bigint(81), bigint(76)))
        .isEqualTo("MySQL");
    assertThat(call("null_or_empty", nullOf(DataType.STRING))).isEqualTo(true);
    assertThat(call("null_or_empty", str("a"))).isEqualTo(false);
  }

  @Test
  void encodings() {
    assertThat(call("md5", str("abc"))).isEqualTo("900150983cd24fb0d6963f7d28e17f72");
    assertThat(call("sha1", str("abc"))).isEqualTo("a9993e364706816aba3e25717850c26c9cd0d89d");
    assertThat(call("sha2", str("abc"), bigint(256)))
        .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(call("sha2", str("abc"), bigint(7))).isNull();
    assertThat(call("hex", str("abc"))).isEqualTo("616263");
    assertThat(call("hex", integer(255))).isEqualTo("FF");
    assertThat(call("hex", bigint(-1))).isEqualTo("FFFFFFFFFFFFFFFF");
    assertThat(call("unhex", str("4D7953514C"))).isEqualTo("MySQL");
    assertThat(call("unhex", str("GG"))).isNull();
    assertThat(call("to_base64", str("abc"))).isEqualTo("YWJj");
    assertThat(call("from_base64", str("YWJj"))).isEqualTo("abc");
    assertThat(call("from_base64", str("!!!"))).isNull();
  }

  @Test
  void numberFormatting() {
    assertThat(call("format", dbl(12332.123456), bigint(4))).isEqualTo("12,332.1235");
    assertThat(call("format", dbl(12332.1), bigint(4))).isEqualTo("12,332.1000");
    assertThat(call("format", dbl(12332.2), bigint(0))).isEqualTo("12,332");
    assertThat(call("format", dec("-1234567.891"), bigint(2))).isEqualTo("-1,234,567.89");
    assertThat(call("format", integer(100), bigint(-2))).isEqualTo("100");
    assertThat(call("money_format", dbl(1234.5))).isEqualTo("1,234.50");
  }
}
