/** Live scoring of forecasts against actuals and conformal prediction intervals. */
package org.streamcast.quality;
