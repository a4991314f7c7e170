# Development splits of 20 classic monthly and quarterly series that R and its packages ship (airline passengers,
# CO2, gas, wine, sales, production, money, income, unemployment in the US and Germany, a river's level, ...):
# each series, or each column of a multi-column one, cut to its first 80% (its training part under the protocol of
# docs/protocol.md), so that defaults chosen on them never see a test part. Used for BENCHMARKS.md ("A wider
# development corpus").
#   Rscript scripts/r-classic-splits.R OUT_DIR
# Needs R with the packages named below (Debian: apt-get install r-cran-forecast, which brings AER 1.2-10, lmtest
# 0.9-40, strucchange 1.5-3 and boot 1.3-28 with it). Writes OUT_DIR/<name>.csv as key,timestamp,value, one row per
# step.
args <- commandArgs(trailingOnly = TRUE)
if (length(args) < 1) stop("usage: Rscript scripts/r-classic-splits.R OUT_DIR")
out_dir <- args[1]
dir.create(out_dir, showWarnings = FALSE, recursive = TRUE)
sets <- list(
  c("datasets", "AirPassengers"), c("datasets", "UKDriverDeaths"), c("datasets", "austres"), c("datasets", "co2"),
  c("datasets", "nottem"), c("forecast", "gas"), c("forecast", "wineind"), c("AER", "DutchSales"),
  c("AER", "UKNonDurables"), c("AER", "ArgentinaCPI"), c("AER", "USProdIndex"), c("lmtest", "lhur"),
  c("lmtest", "ip"), c("strucchange", "USIncExp"), c("boot", "manaus"), c("AER", "GermanUnemployment"),
  c("AER", "USMacroSWM"), c("AER", "FrozenJuice"), c("lmtest", "jocci"), c("AER", "USMoney"))
for (s in sets) {
  e <- new.env()
  suppressWarnings(data(list = s[2], package = s[1], envir = e))
  x <- get(s[2], envir = e)
  f <- frequency(x)
  tt <- as.numeric(time(x))
  yr <- floor(tt + 1e-6)
  cycle <- round((tt - yr) * f) + 1
  month <- if (f == 12) cycle else (cycle - 1) * 3 + 1
  stamps <- sprintf("%04d-%02d-01T00:00:00Z", yr, month)
  m <- as.matrix(x)
  if (is.null(colnames(m))) colnames(m) <- s[2]
  if (s[1] == "lmtest") m <- m[, "y", drop = FALSE] # the other columns are its differences and their lags
  rows <- NULL
  for (j in seq_len(ncol(m))) {
    v <- m[, j]
    ok <- which(!is.na(v))
    if (length(ok) < 60) next
    span <- min(ok):max(ok)
    if (anyNA(v[span])) next # a series with missing steps inside is left out
    keep <- span[seq_len(floor(0.8 * length(span)))]
    rows <- rbind(rows, data.frame(key = colnames(m)[j], timestamp = stamps[keep], value = v[keep]))
  }
  if (!is.null(rows)) {
    write.csv(rows, file.path(out_dir, paste0(tolower(s[2]), ".csv")), row.names = FALSE, quote = FALSE)
  }
}
