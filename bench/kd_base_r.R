# Kd with random-labelling simulations in base R, the way dbmss 2.9's Kdhat (Original, exact
# distances) computes each curve — dbmss itself is not packaged for Debian, so this is the
# nearest thing that runs here. Great-circle distances (haversine, km), bw.nrd0 over the
# distances <= 2 rmax, reflection below 4 bw, density() renormalised by the mirrored mass.
#   Rscript bench/kd_base_r.R POINTS.csv SIMS RMAX STEP     (POINTS.csv from cs_bench_place)
args <- commandArgs(trailingOnly = TRUE)
pts <- read.csv(args[1])
sims <- as.integer(args[2]); rmax <- as.numeric(args[3]); step <- as.numeric(args[4])
r <- seq(0, rmax, by = step)
gc_dist <- function(lon, lat) {
  p <- cbind(lon, lat) * pi / 180
  n <- nrow(p)
  i <- rep(seq_len(n - 1), (n - 1):1); j <- unlist(lapply(2:n, function(k) k:n))
  a <- sin((p[j, 2] - p[i, 2]) / 2)^2 + cos(p[i, 2]) * cos(p[j, 2]) * sin((p[j, 1] - p[i, 1]) / 2)^2
  2 * 6371.0088 * asin(pmin(1, sqrt(a)))
}
kd <- function(Dist) {
  bw <- bw.nrd0(Dist[Dist <= rmax * 2])
  Reflected <- which(Dist <= 4 * bw)
  Dist <- c(Dist, -Dist[Reflected])
  nDensity <- min(max(512, max(Dist) / rmax * 128), 4096)
  Density <- density(Dist, from = 0, to = rmax, bw = bw, n = nDensity)
  Mirrored <- density(Dist, to = 0, bw = bw)
  Density$y <- Density$y / (1 - mean(Mirrored$y) * diff(range(Mirrored$x)))
  approx(Density$x, Density$y, xout = r)$y
}
is_type <- pts$type == 1
t0 <- proc.time()
obs <- kd(gc_dist(pts$x[is_type], pts$y[is_type]))
t1 <- proc.time()
set.seed(1)
for (s in seq_len(sims)) {
  lab <- sample(is_type)
  kd(gc_dist(pts$x[lab], pts$y[lab]))
}
t2 <- proc.time()
cpu <- function(t) t[["user.self"]] + t[["sys.self"]]
cat(sprintf("base R Kd: %d sites, %d points, one curve %.2f s (CPU %.2f s), %d simulations %.2f s (CPU %.2f s)\n",
            nrow(pts), sum(is_type), (t1 - t0)[["elapsed"]], cpu(t1 - t0), sims, (t2 - t1)[["elapsed"]], cpu(t2 - t1)))
