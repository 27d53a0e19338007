package io.churnserving.oip;

import io.churnserving.errors.ClientProblem;
import io.churnserving.validation.JsonBodyParser;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The body of a REST inference request, JSON alone or with Triton's binary tensor data extension: a JSON head of
 * {@value #HEADER} bytes, then the binary data of each input whose {@code parameters} hold {@code binary_data_size},
 * in the order of the head's inputs (little-endian, row-major, BOOL one byte, BYTES each a 4-byte little-endian
 * length then its bytes). Every size is checked against the bytes really received before anything is read, so a
 * size that claims more than the body holds is refused, never allocated; the body itself is bounded by the
 * transport.
 *
 * @param request the request, binary inputs decoded into its tensors' data
 * @param binary  the outputs its answer sends as binary data
 * @param policy  its schedule policy parameters
 */
public record InferenceBody(InferenceRequest request, BinaryOutputs binary, SchedulePolicy policy) {
  /** The header that gives the length of the JSON head when binary data follows it. */
  public static final String HEADER = "Inference-Header-Content-Length";

  /**
   * Reads a body.
   *
   * @param headLength the {@value #HEADER} header as sent, or null when there is none (the body is all JSON)
   * @throws ClientProblem 400 naming the input, or the header, at fault
   */
  public static InferenceBody read(byte[] body, String headLength) {
    int head = headLength(headLength, body.length);
    Object json = JsonBodyParser.parse(head == body.length ? body : Arrays.copyOf(body, head));
    ByteBuffer binary = ByteBuffer.wrap(body, head, body.length - head).slice();
    if (json instanceof Map<?, ?> map && map.get("inputs") instanceof List<?> inputs) {
      json = withBinaryData(map, inputs, binary, headLength != null);
    }
    InferenceRequest request = InferenceRequest.read(json);
    Map<?, ?> map = (Map<?, ?>) json;
    return new InferenceBody(request, BinaryOutputs.of(map), SchedulePolicy.of(request.parameters()));
  }

  private static int headLength(String header, int bodyLength) {
    if (header == null) {
      return bodyLength;
    }
    long length;
    try {
      length = Long.parseLong(header.trim());
    } catch (NumberFormatException e) {
      length = -1;
    }
    if (length < 1) {
      // 0 is Triton's raw binary request (a body of one input's bytes, no JSON): not served here.
      throw InferenceRequest.bad("header " + HEADER + " must be the length in bytes of the JSON head that starts "
          + "the body, at least 1");
    }
    if (length > bodyLength) {
      throw InferenceRequest.bad("header " + HEADER + " is " + length + " bytes, but the body holds only "
          + bodyLength);
    }
    return (int) length;
  }

  /** The body with each binary input's data decoded in place of its {@code data}. */
  private static Map<?, ?> withBinaryData(Map<?, ?> body, List<?> inputs, ByteBuffer binary,
                                                    boolean framed) {
    List<Object> read = new ArrayList<>(inputs.size());
    boolean changed = false;
    for (int i = 0; i < inputs.size(); i++) {
      Object given = inputs.get(i);
      Object input = given instanceof Map<?, ?> tensor ? binaryInput(tensor, i, binary, framed) : given;
      changed |= input != given;
      read.add(input);
    }
    if (binary.hasRemaining()) {
      throw InferenceRequest.bad("the body holds " + binary.remaining() + " bytes after the JSON head and the inputs' "
          + "binary_data_size, which no input accounts for");
    }
    if (!changed) {
      return body; // all JSON: nothing to copy
    }
    Map<Object, Object> copy = new LinkedHashMap<>(body);
    copy.put("inputs", read);
    return copy;
  }

  private static Object binaryInput(Map<?, ?> input, int index, ByteBuffer binary, boolean framed) {
    String name = input.get("name") instanceof String s ? s : "inputs[" + index + "]";
    Object parameters = input.get("parameters");
    if (parameters != null && !(parameters instanceof Map)) {
      throw InferenceRequest.bad("input '" + name + "': parameters must be an object");
    }
    if (!(parameters instanceof Map<?, ?> p) || !p.containsKey("binary_data_size")) {
      return input;
    }
    Object size = p.get("binary_data_size");
    if (!(size instanceof Integer || size instanceof Long) || ((Number) size).longValue() < 0) {
      throw InferenceRequest.bad("input '" + name + "': parameters.binary_data_size must be a whole number of bytes, "
          + "at least 0");
    }
    if (!framed) {
      throw InferenceRequest.bad("input '" + name + "' has binary_data_size, but the request has no " + HEADER
          + " header to say where its binary data starts");
    }
    if (input.containsKey("data")) {
      throw InferenceRequest.bad("input '" + name + "' has both data and binary_data_size; send one of them");
    }
    long bytes = ((Number) size).longValue();
    if (bytes > binary.remaining()) {
      throw InferenceRequest.bad("input '" + name + "': binary_data_size is " + bytes + " bytes, but only "
          + binary.remaining() + " bytes of binary data are left in the body");
    }
    ByteBuffer data = binary.slice(binary.position(), (int) bytes);
    binary.position(binary.position() + (int) bytes);
    long elements = elements(input.get("shape"));
    if (!(input.get("datatype") instanceof String datatype) || elements < 0) {
      return input; // InferenceRequest.read names what is wrong with its head
    }
    Map<Object, Object> decoded = new LinkedHashMap<>(input);
    decoded.put("data", TensorBytes.decode(name, datatype, elements, data));
    return decoded;
  }

  /** The elements a shape holds (saturating), or -1 when it is not an array of whole numbers of at least 0. */
  private static long elements(Object shape) {
    if (!(shape instanceof List<?> dims) || dims.isEmpty()) {
      return -1;
    }
    long n = 1;
    for (Object d : dims) {
      if (!(d instanceof Integer || d instanceof Long) || ((Number) d).longValue() < 0) {
        return -1;
      }
      long dim = ((Number) d).longValue();
      n = dim == 0 ? 0 : n > Long.MAX_VALUE / dim ? Long.MAX_VALUE : n * dim;
    }
    return n;
  }
}
