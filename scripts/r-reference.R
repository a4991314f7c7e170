# R's forecast package (ETS and auto.arima, fitted once on the training part, then run forward without refitting)
# under the accuracy protocol of docs/protocol.md, next to a `streamcast backtest` of the same file: per set and
# horizon, the mean MASE of naive, of the method streamcast scored (default gru), of ETS and of auto.arima, and the
# share of the better R method's gain over naive that streamcast's method reaches. Used for BENCHMARKS.md.
#   Rscript scripts/r-reference.R DATA.csv BACKTEST_OUT_DIR [horizons] [method] [season]
# DATA.csv is what `backtest --file` read (key,timestamp,value, one row per step, no gaps); BACKTEST_OUT_DIR holds its
# metrics.csv, whose naive rows give each key's MASE scale (MAE / MASE), so both sides are scaled alike. season: the
# series' seasonal period for ETS and ARIMA (the backtest's MASE season: 12 monthly, 4 quarterly, 1 otherwise).
# Needs R with the forecast package (Debian: apt-get install r-cran-forecast, which is forecast 8.20).
suppressMessages(library(forecast))
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 2) stop("usage: Rscript scripts/r-reference.R DATA.csv BACKTEST_OUT_DIR [horizons] [method] [season]")
data <- read.csv(args[1], stringsAsFactors = FALSE)
metrics <- read.csv(file.path(args[2], "metrics.csv"), stringsAsFactors = FALSE)
hs <- if (length(args) >= 3) as.integer(strsplit(args[3], ",")[[1]]) else c(1L, 12L)
method <- if (length(args) >= 4) args[4] else "gru"
m <- if (length(args) >= 5) as.integer(args[5]) else 1L
H <- max(hs)
mase <- function(k, meth, h, col) metrics[metrics$key == k & metrics$method == meth & metrics$h == h, col]
rows <- list()
for (k in unique(data$key)) {
  if (length(mase(k, "naive", H, "MASE")) == 0) next # left out of the backtest
  y <- data$value[data$key == k]
  n <- length(y); nt <- floor(0.8 * n + 1e-9)
  freq <- if (m > 1 && m <= 24 && nt >= 2 * m + 2) m else 1
  fe <- tryCatch(ets(ts(y[1:nt], frequency = freq)), error = function(e) NULL)
  fa <- tryCatch(auto.arima(ts(y[1:nt], frequency = freq)), error = function(e) NULL)
  err <- list(ets = matrix(NA, n, H), arima = matrix(NA, n, H))
  for (t in nt:(n - 1)) {
    yt <- ts(y[1:t], frequency = freq); hh <- min(H, n - t); actual <- y[(t + 1):(t + hh)]
    if (!is.null(fe)) err$ets[t, 1:hh] <- abs(actual - as.numeric(tryCatch(
      forecast(ets(yt, model = fe, use.initial.values = TRUE), h = hh)$mean, error = function(e) rep(NA, hh))))
    if (!is.null(fa)) err$arima[t, 1:hh] <- abs(actual - as.numeric(tryCatch(
      forecast(Arima(yt, model = fa), h = hh)$mean, error = function(e) rep(NA, hh))))
  }
  for (h in hs) {
    scale <- mase(k, "naive", h, "MAE") / mase(k, "naive", h, "MASE")
    idx <- nt:(n - h)
    rows[[length(rows) + 1]] <- data.frame(key = k, h = h, naive = mase(k, "naive", h, "MASE"),
      learned = mase(k, method, h, "MASE"), ets = mean(err$ets[idx, h]) / scale,
      arima = mean(err$arima[idx, h]) / scale)
  }
}
r <- do.call(rbind, rows)
for (h in hs) {
  s <- colMeans(r[r$h == h, c("naive", "learned", "ets", "arima")])
  best <- min(s["ets"], s["arima"])
  share <- if (best < s["naive"]) sprintf("%.0f%%", 100 * (s["naive"] - s["learned"]) / (s["naive"] - best)) else "-"
  cat(sprintf("h=%d keys=%d naive %.3f %s %.3f ets %.3f auto.arima %.3f share of the better R gain %s\n", h,
    sum(r$h == h), s["naive"], method, s["learned"], s["ets"], s["arima"], share))
}
