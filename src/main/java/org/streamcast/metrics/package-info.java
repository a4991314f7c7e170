/** Micrometer binders, the Prometheus registry and the HTTP endpoints (metrics, health, readiness, queries, page). */
package org.streamcast.metrics;
