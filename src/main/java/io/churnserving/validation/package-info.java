/**
 * Request parsing and validation, shared by every transport: strict JSON parsing, the request's JSON Schema compiled
 * into a fast checker, and FastAPI/Pydantic-v2 style field errors. Knows no transport; depends on {@code model} only
 * for the row interface the scorer reads.
 */
package io.churnserving.validation;
