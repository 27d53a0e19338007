/**
 * Training of the bundled churn model versions with Tribuo, compiled only by the Maven profile {@code train}: Tribuo
 * never reaches the server's runtime classpath. Each run writes one version folder ({@code model.onnx},
 * {@code metadata.json}, {@code schema.json}): {@code mvn -q -Ptrain compile exec:java [-Dexec.args="--version 2"]}.
 */
package io.churnserving.train;
