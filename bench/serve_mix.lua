-- wrk script of bench/serve_soak.sh: a mix of the dashboard's reads, in turn (weights by
-- repetition). The bearer token comes with wrk -H.
local paths = {
  "/api/v1/clusters/QH-BIO/indicators?year=2014",
  "/api/v1/clusters/QH-BIO/indicators?year=2014",
  "/api/v1/clusters/QH-BIO/indicators?years=2012-2014&only=gross_output,firm_count",
  "/api/v1/zones/XNGX/indicators?year=2014",
  "/api/v1/clusters",
  "/api/v1/clusters/QH-BIO",
  "/api/v1/catalogue",
}
local i = 0

request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
