// An approved boundary map, where a deployment has registered one (docs/dashboard.md): a GeoJSON
// FeatureCollection of provinces at /geo/provinces.geojson, built into the binary from
// web/public/geo/. None ships (China's boundaries need an approved map), so by default the
// overview draws its tile grid. Each feature names its province by GB/T 2260 code in
// properties.adcode or properties.code (2 or 6 digits).
import { echarts } from './figure.js';

let loaded;

export function loadGeo() {
  if (loaded === undefined) {
    loaded = fetch('/geo/provinces.geojson').then(async (res) => {
      if (!res.ok) return null;
      const geo = await res.json();
      if (!geo || !Array.isArray(geo.features)) return null;
      for (const f of geo.features) {
        const p = f.properties || (f.properties = {});
        p.cs_code = String(p.adcode ?? p.code ?? '').slice(0, 2);
      }
      const { parts } = await import('./geo_map.js');
      echarts.use(parts);
      echarts.registerMap('cs-provinces', geo);
      return geo;
    }).catch(() => null);
  }
  return loaded;
}
