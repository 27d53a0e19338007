package io.churnserving.oip;

import io.churnserving.errors.ClientProblem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which outputs an answer sends as binary tensor data (Triton's binary tensor data extension): those whose request
 * output says {@code "parameters": {"binary_data": true}}, and, when the request's own parameters say
 * {@code "binary_data_output": true}, every output that does not say {@code "binary_data": false}. This is what
 * tritonclient asks for by default.
 *
 * @param all      the request's {@code binary_data_output}
 * @param byOutput each output's own {@code binary_data}, where given
 */
public record BinaryOutputs(boolean all, Map<String, Boolean> byOutput) {
  /** Every output as JSON. */
  public static final BinaryOutputs NONE = new BinaryOutputs(false, Map.of());

  public BinaryOutputs {
    byOutput = Map.copyOf(byOutput);
  }

  /** Whether this output goes as binary data. */
  public boolean binary(String output) {
    Boolean own = byOutput.get(output);
    return own != null ? own : all;
  }

  /**
   * Reads the flags of a request body that {@link InferenceRequest#read} has accepted.
   *
   * @throws ClientProblem 400 when a flag is not a boolean
   */
  static BinaryOutputs of(Map<?, ?> body) {
    boolean all = false;
    if (body.get("parameters") instanceof Map<?, ?> parameters && parameters.containsKey("binary_data_output")) {
      if (!(parameters.get("binary_data_output") instanceof Boolean flag)) {
        throw InferenceRequest.bad("parameters.binary_data_output must be true or false");
      }
      all = flag;
    }
    Map<String, Boolean> byOutput = new HashMap<>();
    if (body.get("outputs") instanceof List<?> outputs) {
      for (Object o : outputs) {
        Map<?, ?> output = (Map<?, ?>) o;
        Object parameters = output.get("parameters");
        if (parameters != null && !(parameters instanceof Map)) {
          throw InferenceRequest.bad("output '" + output.get("name") + "': parameters must be an object");
        }
        if (parameters instanceof Map<?, ?> p && p.containsKey("binary_data")) {
          if (!(p.get("binary_data") instanceof Boolean flag)) {
            throw InferenceRequest.bad("output '" + output.get("name") + "': parameters.binary_data must be true or "
                + "false");
          }
          byOutput.put((String) output.get("name"), flag);
        }
      }
    }
    return all || !byOutput.isEmpty() ? new BinaryOutputs(all, byOutput) : NONE;
  }
}
