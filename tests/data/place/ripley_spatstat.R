# Reference values for place's Ripley K/L test: spatstat's own sample patterns (japanesepines,
# cells, redwood), their points and Kest/Lest with no edge correction.
# Run: Rscript ripley_spatstat.R OUTDIR   (writes <name>_points.csv and <name>_K.csv)
# Made with R 4.2.2 and spatstat 3.0-3 (Debian 12 r-base-core, r-cran-spatstat).
suppressMessages(library(spatstat))
args <- commandArgs(trailingOnly = TRUE)
out <- if (length(args) > 0) args[1] else "."
for (name in c("japanesepines", "cells", "redwood")) {
  X <- get(name)
  pts <- data.frame(x = X$x, y = X$y, type = "p", weight = 1)
  write.csv(pts, file.path(out, paste0(name, "_points.csv")), row.names = FALSE, quote = FALSE)
  # Distances off the patterns' lattices, so that no pair lies exactly at an r (a tie would
  # fall either side by rounding).
  r <- seq(0, 0.25, by = 0.0101)
  K <- Kest(X, r = r, correction = "none")
  L <- Lest(X, r = r, correction = "none")
  res <- data.frame(r = r, K = K$un, L = L$un, area = area(Window(X)))
  write.csv(res, file.path(out, paste0(name, "_K.csv")), row.names = FALSE, quote = FALSE)
}
