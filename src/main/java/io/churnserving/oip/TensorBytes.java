package io.churnserving.oip;

import io.churnserving.errors.ClientProblem;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Tensor data in the protocol's binary layout, as gRPC's {@code raw_input_contents} / {@code raw_output_contents}
 * carry it: elements flattened row-major, little-endian, no padding; BOOL one byte; BYTES each element a 4-byte
 * little-endian length then its bytes. Decoding never allocates more than the bytes given could hold, whatever the
 * shape claims.
 */
public final class TensorBytes {
  private TensorBytes() {
  }

  /** The fixed-size types this server reads, with the bytes one element takes. */
  private static final java.util.Map<String, Integer> WIDTHS = java.util.Map.of("BOOL", 1, "INT32", 4, "INT64", 8,
      "FP32", 4, "FP64", 8);

  /**
   * The elements of one input as the JSON values {@code /predict} would have parsed: whole numbers as {@code Long},
   * FP32 and FP64 as {@code Double}, BOOL as {@code Boolean}, BYTES as UTF-8 {@code String}.
   *
   * @param elements how many the input's shape holds
   * @throws ClientProblem 400 naming the input, when the bytes do not hold exactly that many elements of its type
   */
  public static List<Object> decode(String name, String datatype, long elements, ByteBuffer bytes) {
    ByteBuffer in = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (datatype.equals("BYTES")) {
      return strings(name, elements, in);
    }
    Integer width = WIDTHS.get(datatype);
    if (width == null) {
      throw InferenceRequest.bad("input '" + name + "': datatype " + datatype + " is not one this server reads; it "
          + "takes INT64, INT32, FP64, FP32, BOOL and BYTES");
    }
    if (elements > Integer.MAX_VALUE || elements * width != in.remaining()) {
      throw InferenceRequest.bad("input '" + name + "': shape holds " + elements + " " + datatype + " elements ("
          + (elements > Integer.MAX_VALUE ? "too many" : elements * width + " bytes") + "), its raw contents hold "
          + in.remaining() + " bytes");
    }
    List<Object> values = new ArrayList<>((int) elements);
    for (int i = 0; i < elements; i++) {
      values.add(switch (datatype) {
        case "BOOL" -> in.get() != 0;
        case "INT32" -> (long) in.getInt();
        case "INT64" -> in.getLong();
        // A float widened as it is: 79.5f stays 79.5; 79.99f becomes 79.98999786..., rounded to cents by the schema.
        case "FP32" -> (double) in.getFloat();
        default -> in.getDouble(); // FP64
      });
    }
    return values;
  }

  /**
   * A raw-tensor input's FP32 elements, straight into the array the model is given.
   *
   * @throws ClientProblem 400 when the bytes are not {@code elements} floats, or hold one that is not finite
   */
  public static float[] fp32(String name, long elements, int width, ByteBuffer bytes) {
    if (elements * Float.BYTES != bytes.remaining()) {
      throw InferenceRequest.bad("input '" + name + "': shape holds " + elements + " FP32 elements (" + elements * 4
          + " bytes), its raw contents hold " + bytes.remaining() + " bytes");
    }
    float[] features = new float[(int) elements];
    bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(features);
    for (int i = 0; i < features.length; i++) {
      if (!Float.isFinite(features[i])) {
        throw InferenceRequest.bad("input '" + name + "', row " + i / width + ", column " + i % width
            + ": not a finite FP32 number");
      }
    }
    return features;
  }

  private static List<Object> strings(String name, long elements, ByteBuffer in) {
    // Each element takes at least its 4-byte length: a count the bytes cannot hold is refused before any list grows.
    if (elements > in.remaining() / 4) {
      throw InferenceRequest.bad("input '" + name + "': shape holds " + elements + " BYTES elements, its raw "
          + "contents hold " + in.remaining() + " bytes");
    }
    List<Object> values = new ArrayList<>((int) elements);
    for (int i = 0; i < elements; i++) {
      int length = in.remaining() >= 4 ? in.getInt() : -1;
      if (length < 0 || length > in.remaining()) {
        throw InferenceRequest.bad("input '" + name + "', element " + i + ": its length prefix runs past the raw "
            + "contents");
      }
      byte[] b = new byte[length];
      in.get(b);
      values.add(new String(b, StandardCharsets.UTF_8));
    }
    if (in.hasRemaining()) {
      throw InferenceRequest.bad("input '" + name + "': " + in.remaining() + " bytes left after its " + elements
          + " BYTES elements");
    }
    return values;
  }

  /** FP32 elements, little-endian. */
  public static byte[] of(float[] values) {
    ByteBuffer out = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    out.asFloatBuffer().put(values);
    return out.array();
  }

  /** BOOL elements, one byte each. */
  public static byte[] of(boolean[] values) {
    byte[] out = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      out[i] = (byte) (values[i] ? 1 : 0);
    }
    return out;
  }

  /** BYTES elements, each its 4-byte little-endian length and its UTF-8 bytes. */
  public static byte[] of(List<String> values) {
    List<byte[]> encoded = new ArrayList<>(values.size());
    int size = 0;
    for (String v : values) {
      byte[] b = v.getBytes(StandardCharsets.UTF_8);
      encoded.add(b);
      size += 4 + b.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    encoded.forEach(b -> out.putInt(b.length).put(b));
    return out.array();
  }
}
