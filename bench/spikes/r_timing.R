# Time R's surveillance on the benchmark series (see r_timing.py, which writes the CSVs).
# Usage: Rscript r_timing.R DAILY.csv WEEKLY.csv
# Each CSV: one column per area, one row per day / week.  Prints one line per method:
# "method areas points seconds" (elapsed time of the call, all columns at once).
suppressPackageStartupMessages(library(surveillance))
args <- commandArgs(trailingOnly = TRUE)
daily <- as.matrix(read.csv(args[1], check.names = FALSE))
weekly <- as.matrix(read.csv(args[2], check.names = FALSE))
cat(sprintf("surveillance %s, %s\n", packageVersion("surveillance"), R.version.string))
report <- function(name, x, range, expr) {
  elapsed <- system.time(expr)[["elapsed"]]
  cat(sprintf("%s %d %d %.3f\n", name, ncol(x), length(range), elapsed))
}
daily_sts <- sts(daily, start = c(2010, 1), frequency = 365)
# Same points as Haven evaluates: C1 from day 8, C2 from day 10, C3 from day 12 (1-based).
for (m in c("C1", "C2", "C3")) {
  first <- c(C1 = 8, C2 = 10, C3 = 12)[[m]]
  range <- first:nrow(daily)
  report(paste0("ears-", tolower(m)), daily, range,
         earsC(daily_sts, control = list(range = range, method = m, baseline = 7, minSigma = 0, alpha = 0.001)))
}
weekly_sts <- sts(weekly, start = c(2010, 1), frequency = 52)
range <- 160:nrow(weekly)  # b = 3 years + w = 3 weeks of history
report("farrington", weekly, range, suppressWarnings(farringtonFlexible(weekly_sts, control = list(
  range = range, b = 3, w = 3, reweight = TRUE, weightsThreshold = 1, alpha = 0.01, trend = TRUE,
  pThresholdTrend = 0.05, limit54 = c(5, 4), powertrans = "2/3", noPeriods = 1,
  pastWeeksNotIncluded = 3, thresholdMethod = "delta"))))
range <- 212:nrow(weekly)  # b = 4 years + w = 3 weeks
report("farrington-noufaily", weekly, range, suppressWarnings(farringtonFlexible(weekly_sts, control = list(
  range = range, b = 4, w = 3, reweight = TRUE, weightsThreshold = 2.58, alpha = 0.01, trend = TRUE,
  pThresholdTrend = 1, limit54 = c(5, 4), powertrans = "2/3", noPeriods = 10,
  pastWeeksNotIncluded = 26, thresholdMethod = "nbPlugin"))))
