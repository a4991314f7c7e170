/** Plain domain values (records) shared across layers; no dependencies beyond the JDK. */
package org.streamcast.domain;
