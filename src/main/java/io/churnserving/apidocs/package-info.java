/**
 * The API's documentation as the server serves it: the OpenAPI 3.1 document (with the instance schema the
 * validator compiles, so the two cannot drift) and Swagger UI's files from its webjar, all read once at start.
 */
package io.churnserving.apidocs;
