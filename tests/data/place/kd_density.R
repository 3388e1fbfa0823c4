# Kd of three points on a line (distances 1, 2, 3), computed the way dbmss 2.9's Kdhat does it
# (Original, not Approximate) with base R alone: bw.nrd0 over the distances <= 2 rmax, mirror the
# distances <= 4 bw, density() on [0, rmax], renormalise by the mass the mirror left below 0.
# Run: Rscript kd_density.R  (prints r,Kd; the output is kd_density.csv)
Dist <- c(1, 2, 3)
r <- c(0, 0.5, 1, 1.5, 2, 2.5, 3)
rmax <- max(r)
bw <- bw.nrd0(Dist[Dist <= rmax * 2])
Reflected <- which(Dist <= 4 * bw)
Dist <- c(Dist, -Dist[Reflected])
nDensity <- min(max(512, max(Dist) / rmax * 128), 4096)
Density <- density(Dist, from = 0, to = rmax, bw = bw, n = nDensity)
Mirrored <- density(Dist, to = 0, bw = bw)
Density$y <- Density$y / (1 - mean(Mirrored$y) * diff(range(Mirrored$x)))
Kd <- approx(Density$x, Density$y, xout = r)$y
write.csv(data.frame(r = r, Kd = Kd, bw = bw), stdout(), row.names = FALSE, quote = FALSE)
