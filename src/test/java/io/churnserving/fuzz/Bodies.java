package io.churnserving.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded generators of hostile request bodies: valid customers written with random key order and spacing, then
 * broken at the JSON level (wrong types, odd numbers, extra and duplicate keys) or the byte level (flips,
 * truncation, insertion, deletion, invalid UTF-8). The same seed gives the same bodies, so a failure reproduces.
 */
final class Bodies {
  static final String[] FIELDS = {"tenure_months", "monthly_charges", "contract_type", "num_products",
      "internet_service"};

  /** JSON values of every type, and values of the right type but out of range, for any field. */
  static final String[] WRONG_VALUES = {"\"24\"", "\"x\"", "\"\"", "true", "false", "null", "[]", "[1]", "{}",
      "{\"a\": 1}", "[[[]]]", "24.5", "-1", "0", "121", "9", "1000.01", "17.99", "\"DSL\"", "\"dsl\"",
      "\"Fiber \"", "\"\\u0000\"", "\"month-to-month\"", "\"MONTH-TO-MONTH\"", "1e2", "24.0", "-0", "-0.0", "0.0",
      "\"\\ud800\"", "\"\\uDFFF\\uD800\"", "\"é\"", "\"😀\"", "{\"tenure_months\": 24}", "[\"two_year\"]",
      "\"null\"", "\"true\"", "\"1e400\""};

  /** Numbers at and past every edge, including tokens that are not JSON numbers at all. */
  static final String[] NUMBERS = buildNumbers();

  private static String[] buildNumbers() {
    List<String> n = new ArrayList<>(List.of("1e400", "-1e400", "1e-400", "-1e-400", "1E+400", "NaN", "-NaN",
        "Infinity", "-Infinity", "+Infinity", "+1", "01", "-01", "1.", ".5", "1e", "1e+", "-", "--1", "0x10",
        "1_000", "99999999999999999999999999999999", "-99999999999999999999999999999999",
        "12345678901234567890", "9223372036854775807", "9223372036854775808", "-9223372036854775809",
        "2147483648", "1E308", "1.7976931348623157e308", "1.8e308", "4.9e-324", "2.5e-324", "-0", "-0.0",
        "0e99999999999999999999", "1e99999999999999999999", "1e-99999999999999999999", "1.5e+2147483648",
        "24.000000000000000000001", "23.99999999999999999999", "120.0", "120.00000000000001",
        "17.999999999999999999", "18", "18.0", "1000", "1000.0000000000001", "999.995", "79.555", "2.675",
        "1e2", "1E1", "0.1e2", "8.0", "8.5", "1", "24", "79.5"));
    n.add("9".repeat(999));
    n.add("9".repeat(1000));
    n.add("9".repeat(1001));
    n.add("-" + "9".repeat(998));
    n.add("0." + "0".repeat(997) + "1");
    n.add("1" + "0".repeat(400) + ".5");
    n.add("1e" + "9".repeat(400));
    return n.toArray(new String[0]);
  }

  /** Byte sequences that break strict UTF-8: overlong forms, surrogates, truncated and stray bytes. */
  static final byte[][] BAD_UTF8 = {
      {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
      {(byte) 0xE0, (byte) 0x9F, (byte) 0xBF}, {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF},
      {(byte) 0xF0, (byte) 0x8F, (byte) 0xBF, (byte) 0xBF}, {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xED, (byte) 0xBF, (byte) 0xBF},
      {(byte) 0xED, (byte) 0xA0, (byte) 0xBD, (byte) 0xED, (byte) 0xB8, (byte) 0x80},
      {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}, {(byte) 0xC3},
      {(byte) 0x80}, {(byte) 0xBF}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFE}, {(byte) 0xFF},
      {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {0},
      {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, // a BOM: valid UTF-8, but not JSON before the value
  };

  /** Pieces of JSON syntax, for insertions that stay plausible enough to get past the first bytes. */
  private static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "null",
      "true", " ", "\n", "\t", "\u0001", "1e400", "NaN", "/*", "//", "'", "\"a\":1,", "\"tenure_months\":1,", "é"};

  private final SplittableRandom random;

  Bodies(long seed) {
    random = new SplittableRandom(seed);
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }

  boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  <T> T pick(T[] values) {
    return values[random.nextInt(values.length)];
  }

  /** A valid customer as field name to JSON value text, in a random order, internet service sometimes absent. */
  Map<String, String> validFields() {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> order = new ArrayList<>(List.of(FIELDS));
    for (int i = order.size() - 1; i > 0; i--) {
      order.set(i, order.set(random.nextInt(i + 1), order.get(i)));
    }
    for (String name : order) {
      String value = switch (name) {
        case "tenure_months" -> Integer.toString(1 + random.nextInt(120));
        case "monthly_charges" -> random.nextBoolean() ? Integer.toString(18 + random.nextInt(983))
            : String.format(java.util.Locale.ROOT, "%d.%02d", 18 + random.nextInt(982), random.nextInt(100));
        case "contract_type" -> pick(new String[] {"\"month-to-month\"", "\"one_year\"", "\"two_year\""});
        case "num_products" -> Integer.toString(1 + random.nextInt(8));
        default -> random.nextInt(4) == 0 ? null : pick(new String[] {"\"DSL\"", "\"Fiber\"", "\"None\""});
      };
      if (value != null) {
        fields.put(name, value);
      }
    }
    return fields;
  }

  /** Writes fields as an object with random spacing; entries are name, value pairs so keys may repeat. */
  String object(List<String[]> entries) {
    StringBuilder b = new StringBuilder("{");
    for (int i = 0; i < entries.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(space()).append(quote(entries.get(i)[0])).append(space()).append(':').append(space())
          .append(entries.get(i)[1]);
    }
    return b.append(space()).append('}').toString();
  }

  String object(Map<String, String> fields) {
    List<String[]> entries = new ArrayList<>();
    fields.forEach((k, v) -> entries.add(new String[] {k, v}));
    return object(entries);
  }

  private String space() {
    return switch (random.nextInt(8)) {
      case 0 -> " ";
      case 1 -> "\n  ";
      case 2 -> "\t";
      default -> "";
    };
  }

  static String quote(String key) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : key.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }

  /** A valid customer. */
  String validInstance() {
    return object(validFields());
  }

  /** A customer with one or more fields given a value of the wrong type or out of range. */
  String wrongTypes() {
    Map<String, String> fields = validFields();
    int changes = 1 + random.nextInt(3);
    for (int i = 0; i < changes; i++) {
      fields.put(pick(FIELDS), pick(WRONG_VALUES));
    }
    if (chance(10)) {
      fields.remove(pick(FIELDS));
    }
    return object(fields);
  }

  /** A customer with a number at an edge in one or two numeric fields. */
  String edgeNumbers() {
    Map<String, String> fields = validFields();
    String[] numeric = {"tenure_months", "monthly_charges", "num_products"};
    fields.put(pick(numeric), pick(NUMBERS));
    if (chance(30)) {
      fields.put(pick(numeric), pick(NUMBERS));
    }
    return object(fields);
  }

  /** A customer with extra keys: odd names (empty, unicode, escapes, near-duplicates, long) and any value. */
  String extraFields() {
    Map<String, String> fields = validFields();
    int extras = 1 + random.nextInt(3);
    for (int i = 0; i < extras; i++) {
      String name = switch (random.nextInt(8)) {
        case 0 -> "";
        case 1 -> "Tenure_Months";
        case 2 -> "tenure_months ";
        case 3 -> "ключ😀";
        case 4 -> "k".repeat(1 + random.nextInt(1100)); // around the 1,024-character key limit
        case 5 -> "\u0000\n\"";
        case 6 -> "instances";
        default -> "extra" + random.nextInt(1000);
      };
      fields.put(name, random.nextBoolean() ? pick(WRONG_VALUES) : pick(NUMBERS));
    }
    return object(fields);
  }

  /** A customer with a key written twice (the same or another value), at the top or one level down. */
  String duplicateKeys() {
    List<String[]> entries = new ArrayList<>();
    validFields().forEach((k, v) -> entries.add(new String[] {k, v}));
    String[] twice = entries.get(random.nextInt(entries.size()));
    String value = random.nextBoolean() ? twice[1] : pick(WRONG_VALUES);
    entries.add(random.nextInt(entries.size() + 1), new String[] {twice[0], value});
    if (chance(30)) {
      entries.add(new String[] {"nested", "{\"a\": 1, \"b\": {\"c\": 2, \"c\": 3}}"});
    }
    return object(entries);
  }

  /** 1 to 4 byte-level mutations of a body: bit flips, truncation, insertion and deletion. */
  byte[] mutate(byte[] body) {
    ByteArrayOutputStream out;
    byte[] b = body;
    int mutations = 1 + random.nextInt(4);
    for (int m = 0; m < mutations; m++) {
      int at = b.length == 0 ? 0 : random.nextInt(b.length);
      switch (random.nextInt(6)) {
        case 0 -> { // flip one bit
          if (b.length > 0) {
            b = b.clone();
            b[at] ^= (byte) (1 << random.nextInt(8));
          }
        }
        case 1 -> b = java.util.Arrays.copyOf(b, at); // truncate
        case 2 -> { // insert a token or a random byte
          byte[] insert = random.nextBoolean() ? pick(TOKENS).getBytes(StandardCharsets.UTF_8)
              : new byte[] {(byte) random.nextInt(256)};
          out = new ByteArrayOutputStream(b.length + insert.length);
          out.write(b, 0, at);
          out.writeBytes(insert);
          out.write(b, at, b.length - at);
          b = out.toByteArray();
        }
        case 3 -> { // delete a range
          int len = Math.min(b.length - at, 1 + random.nextInt(8));
          out = new ByteArrayOutputStream(b.length);
          out.write(b, 0, at);
          out.write(b, at + len, b.length - at - len);
          b = out.toByteArray();
        }
        case 4 -> { // invalid UTF-8
          byte[] insert = pick(BAD_UTF8);
          out = new ByteArrayOutputStream(b.length + insert.length);
          out.write(b, 0, at);
          out.writeBytes(insert);
          out.write(b, at, b.length - at);
          b = out.toByteArray();
        }
        default -> { // overwrite one byte with any value
          if (b.length > 0) {
            b = b.clone();
            b[at] = (byte) random.nextInt(256);
          }
        }
      }
    }
    return b;
  }

  /** A customer whose string value (contract type, internet service, or an extra key's) holds invalid UTF-8. */
  byte[] invalidUtf8() {
    Map<String, String> fields = validFields();
    String field = random.nextBoolean() ? "contract_type" : random.nextBoolean() ? "internet_service" : "note";
    fields.put(field, "\"@@\"");
    String text = object(fields);
    int at = text.indexOf("@@");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
    if (random.nextBoolean()) {
      out.writeBytes("one_".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(pick(BAD_UTF8));
    if (random.nextBoolean()) {
      out.writeBytes("year".getBytes(StandardCharsets.UTF_8));
    }
    out.writeBytes(text.substring(at + 2).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  /** Random bytes: sometimes uniform, sometimes drawn from JSON's alphabet so they get further into the parser. */
  byte[] randomBytes() {
    int length = random.nextInt(4) == 0 ? random.nextInt(2000) : random.nextInt(64);
    byte[] b = new byte[length];
    boolean jsonish = random.nextBoolean();
    String alphabet = "{}[]\":,0123456789.-+eE tfnrul\\a";
    for (int i = 0; i < length; i++) {
      b[i] = jsonish ? (byte) alphabet.charAt(random.nextInt(alphabet.length())) : (byte) random.nextInt(256);
    }
    return b;
  }

  /** One hostile instance body, of a random kind. */
  byte[] hostileInstance() {
    return switch (random.nextInt(9)) {
      case 0 -> randomBytes();
      case 1, 2 -> mutate(utf8(validInstance()));
      case 3 -> utf8(wrongTypes());
      case 4 -> utf8(edgeNumbers());
      case 5 -> utf8(extraFields());
      case 6 -> utf8(duplicateKeys());
      case 7 -> invalidUtf8();
      default -> utf8(validInstance());
    };
  }

  /** One instance as JSON text (valid or broken at the JSON level), for a batch's items. */
  String instanceText() {
    return switch (random.nextInt(6)) {
      case 0 -> wrongTypes();
      case 1 -> edgeNumbers();
      case 2 -> extraFields();
      case 3 -> pick(WRONG_VALUES);
      default -> validInstance();
    };
  }

  /** A batch body {"instances": [...]}: items valid or not, sometimes no list, extra or duplicate top keys. */
  String batch() {
    int n = switch (random.nextInt(10)) {
      case 0 -> 0;
      case 1 -> 990 + random.nextInt(20); // around the 1,000-instance limit
      default -> 1 + random.nextInt(12);
    };
    boolean allValid = random.nextInt(3) == 0;
    StringBuilder items = new StringBuilder("[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        items.append(',');
      }
      items.append(allValid ? validInstance() : instanceText());
    }
    items.append(']');
    List<String[]> entries = new ArrayList<>();
    switch (random.nextInt(12)) {
      case 0 -> entries.add(new String[] {"instances", pick(WRONG_VALUES)});
      case 1 -> { } // no instances at all
      case 2 -> entries.add(new String[] {"instance", items.toString()});
      default -> entries.add(new String[] {"instances", items.toString()});
    }
    if (chance(10)) {
      entries.add(new String[] {pick(new String[] {"extra", "instances", "", "signature_name"}),
          pick(WRONG_VALUES)});
    }
    return object(entries);
  }

  /** One hostile batch body, of a random kind. */
  byte[] hostileBatch() {
    return switch (random.nextInt(6)) {
      case 0 -> randomBytes();
      case 1, 2 -> mutate(utf8(batch()));
      case 3 -> utf8("[" + validInstance() + "]"); // the items without the envelope
      default -> utf8(batch());
    };
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
