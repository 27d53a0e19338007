package io.churnserving.oip;

import io.churnserving.errors.ClientProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An inference request as the protocol writes it: {@code {"id", "parameters", "inputs", "outputs"}}.
 *
 * @param id         the client's identifier, echoed in the answer; null when absent
 * @param parameters the request's parameters, or null
 * @param inputs     its input tensors, in order
 * @param outputs    the names of the outputs asked for; null for every output
 */
public record InferenceRequest(String id, Map<?, ?> parameters, List<Tensor> inputs, List<String> outputs) {

  /**
   * One input tensor, with its data flattened in row-major order (the protocol allows {@code data} flat or nested
   * as the shape).
   */
  public record Tensor(String name, String datatype, long[] shape, List<Object> data) {
    /**
     * A tensor whose data holds as many elements as its shape says.
     *
     * @throws ClientProblem 400 when they differ
     */
    public static Tensor of(String name, String datatype, long[] shape, List<Object> data) {
      Tensor tensor = new Tensor(name, datatype, shape, data);
      if (tensor.elements() != data.size()) {
        throw bad("input '" + name + "': shape " + java.util.Arrays.toString(shape) + " holds " + tensor.elements()
            + " elements, data holds " + data.size());
      }
      return tensor;
    }

    /** The number of elements the shape holds. */
    public long elements() {
      long n = 1;
      for (long d : shape) {
        // Saturates: a shape of hostile sizes must not wrap around to the count its data happens to hold.
        n = d == 0 ? 0 : n > Long.MAX_VALUE / Math.max(d, 1) ? Long.MAX_VALUE : n * d;
      }
      return n;
    }
  }

  /**
   * Reads a parsed body.
   *
   * @throws ClientProblem 400, naming what is missing or of the wrong type
   */
  public static InferenceRequest read(Object json) {
    if (!(json instanceof Map<?, ?> body)) {
      throw bad("the body must be a JSON object");
    }
    for (Object key : body.keySet()) {
      if (!List.of("id", "parameters", "inputs", "outputs").contains(key)) {
        throw bad("unknown field '" + key + "'; a request holds id, parameters, inputs and outputs");
      }
    }
    Object id = body.get("id");
    if (id != null && !(id instanceof String)) {
      throw bad("'id' must be a string");
    }
    Object parameters = body.get("parameters");
    if (parameters != null && !(parameters instanceof Map)) {
      throw bad("'parameters' must be an object");
    }
    if (!(body.get("inputs") instanceof List<?> given) || given.isEmpty()) {
      throw bad("'inputs' must be a non-empty array of tensors");
    }
    List<Tensor> inputs = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      inputs.add(tensor(given.get(i), i));
    }
    return new InferenceRequest((String) id, (Map<?, ?>) parameters, inputs, outputs(body.get("outputs")));
  }

  private static List<String> outputs(Object given) {
    if (given == null) {
      return null;
    }
    if (!(given instanceof List<?> list)) {
      throw bad("'outputs' must be an array of {\"name\": ...}");
    }
    List<String> names = new ArrayList<>(list.size());
    for (Object o : list) {
      if (!(o instanceof Map<?, ?> out) || !(out.get("name") instanceof String name)) {
        throw bad("each of 'outputs' must be an object with a string 'name'");
      }
      names.add(name);
    }
    return names;
  }

  private static Tensor tensor(Object given, int index) {
    if (!(given instanceof Map<?, ?> input)) {
      throw bad("inputs[" + index + "] must be an object");
    }
    if (!(input.get("name") instanceof String name)) {
      throw bad("inputs[" + index + "] has no string 'name'");
    }
    if (!(input.get("datatype") instanceof String datatype)) {
      throw bad("input '" + name + "' has no string 'datatype'");
    }
    if (!(input.get("shape") instanceof List<?> dims) || dims.isEmpty()) {
      throw bad("input '" + name + "' has no 'shape' (an array of dimensions)");
    }
    long[] shape = new long[dims.size()];
    for (int d = 0; d < shape.length; d++) {
      if (!(dims.get(d) instanceof Integer || dims.get(d) instanceof Long) || ((Number) dims.get(d)).longValue() < 0) {
        throw bad("input '" + name + "': shape must hold whole numbers of at least 0");
      }
      shape[d] = ((Number) dims.get(d)).longValue();
    }
    if (!input.containsKey("data")) {
      throw bad("input '" + name + "' has no 'data'");
    }
    List<Object> data = new ArrayList<>();
    flatten(input.get("data"), data, name);
    return Tensor.of(name, datatype, shape, data);
  }

  /** Nested arrays in row-major order, as the protocol allows; at most as many elements as the body can hold. */
  private static void flatten(Object value, List<Object> into, String name) {
    if (value instanceof List<?> list) {
      for (Object item : list) {
        flatten(item, into, name);
      }
    } else if (value instanceof Map) {
      throw bad("input '" + name + "': data holds an object; it must be values or arrays of values");
    } else {
      into.add(value);
    }
  }

  /** A 400 in the protocol's words, for every transport. */
  public static ClientProblem bad(String message) {
    return ClientProblem.of(400, message);
  }
}
