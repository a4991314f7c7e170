/** Training and evaluation with DL4J: network builders, dataset windowing, the trainer, and the backtest protocol with its metrics. */
package org.streamcast.training;
