package org.streamcast.training;

import java.time.Duration;

/**
 * The outcome of one training epoch.
 *
 * @param epoch          1-based epoch number
 * @param maxEpochs      the most epochs the run may take
 * @param trainLoss      mean squared error per output on the training windows, each output in units of its scale
 *                       ({@link HeadStart#scale()}: the head-start baseline's error on the training steps, so the
 *                       start scores about 1 there)
 * @param validationLoss the same on the validation slice ({@code NaN} without validation)
 * @param improved       whether the validation loss is the best so far (the weights are kept)
 * @param elapsed        time since training started
 */
public record EpochStats(
    int epoch, int maxEpochs, double trainLoss, double validationLoss, boolean improved, Duration elapsed) {}
