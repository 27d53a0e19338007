/**
 * Training of the bundled churn model with Tribuo, compiled only by the Maven profile {@code train}: Tribuo never
 * reaches the server's runtime classpath. {@code mvn -q -Ptrain compile exec:java}.
 */
package io.churnserving.train;
