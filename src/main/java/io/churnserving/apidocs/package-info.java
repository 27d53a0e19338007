/**
 * What the server says about itself, as it serves it: the OpenAPI 3.1 document (with the instance schema the
 * validator compiles, so the two cannot drift), Swagger UI's files from its webjar, and this build's version, all
 * read once at start.
 */
package io.churnserving.apidocs;
