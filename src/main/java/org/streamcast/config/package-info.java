/**
 * Typed, immutable pipeline specifications: YAML loading and validation at the edge, with file/field/value error
 * messages.
 */
package org.streamcast.config;
