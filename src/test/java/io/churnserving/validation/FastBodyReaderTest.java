package io.churnserving.validation;

import io.churnserving.support.Models;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Valid bodies are read by {@link FastBodyReader} into the instances the full path makes; anything it is not sure
 * of is left to the full path (null), which {@code FastPathAgreementTest} shows then answers as before.
 */
class FastBodyReaderTest {
  private static final RequestValidator VALIDATOR = Models.validator(3);
  private static final FastBodyReader FAST = VALIDATOR.fastReader();

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":\"month-to-month\",\"num_products\":2,"
          + "\"internet_service\":\"Fiber\"}",
      // any key order, white space, no internet_service (the default), an integral float, an escaped string,
      // charges rounded to cents
      " { \"num_products\" : 2.0 , \"contract_type\" : \"one\\u005fyear\", \"monthly_charges\" : 79.555,"
          + " \"tenure_months\" : 1 } ",
      "{\"tenure_months\":120,\"monthly_charges\":1000,\"contract_type\":\"two_year\",\"num_products\":8}",
  })
  void validInstancesAreReadAsTheFullPathReadsThem(String body) {
    Instance fast = FAST.instance(utf8(body));
    assertThat(fast).isNotNull()
        .isEqualTo(VALIDATOR.validateInstance(JsonBodyParser.parse(utf8(body)), RequestValidator.BODY)
            .orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "[]",
      "{\"tenure_months\":0,\"monthly_charges\":79.5,\"contract_type\":\"one_year\",\"num_products\":2}",
      "{\"tenure_months\":24,\"monthly_charges\":17.99,\"contract_type\":\"one_year\",\"num_products\":2}",
      "{\"tenure_months\":\"24\",\"monthly_charges\":79.5,\"contract_type\":\"one_year\",\"num_products\":2}",
      "{\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":\"one_year\"}",
      "{\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":\"one_year\",\"num_products\":2,\"x\":1}",
      "{\"tenure_months\":24,\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":\"one_year\","
          + "\"num_products\":2}",
      "{\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":\"one_year\",\"num_products\":2} {}",
      "{\"tenure_months\":24,\"monthly_charges\":NaN,\"contract_type\":\"one_year\",\"num_products\":2}",
      "{\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":null,\"num_products\":2}",
  })
  void anythingElseIsLeftToTheFullPath(String body) {
    assertThat(FAST.instance(utf8(body))).isNull();
  }

  @Test
  void batchesAreReadWithinTheirLimits() {
    String one = "{\"tenure_months\":24,\"monthly_charges\":79.5,\"contract_type\":\"one_year\",\"num_products\":2}";
    List<Instance> three = FAST.batch(utf8("{\"instances\":[" + one + "," + one + "," + one + "]}"));
    assertThat(three).hasSize(3).containsOnly(FAST.instance(utf8(one)));
    assertThat(FAST.batch(utf8("{\"instances\":[]}"))).isNull();
    assertThat(FAST.batch(utf8("{\"instances\":[" + one + "," + one + "," + one + "," + one + "]}"))).isNull();
    assertThat(FAST.batch(utf8("{\"instances\":[" + one + "],\"extra\":1}"))).isNull();
    assertThat(FAST.batch(utf8("{\"instances\":[" + one + ",1]}"))).isNull();
    assertThat(FAST.batch(utf8("[" + one + "]"))).isNull();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
