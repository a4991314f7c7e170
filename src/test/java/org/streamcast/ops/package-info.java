/**
 * Static checks of the deployment files: {@code docker/} (compose file, Dockerfile, Prometheus config) and
 * {@code grafana/} (provisioning and dashboards), against each other and against the metric contract
 * ({@link org.streamcast.testing.MetricContract}). No Docker engine is needed; {@code promtool} is used when
 * installed and required when the variable {@code CI} is set.
 */
package org.streamcast.ops;
