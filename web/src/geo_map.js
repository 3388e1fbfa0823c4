// The map series and geo component, in a chunk of their own: loaded only where a deployment has
// registered a map (geo.js), so the tile grid's users never download them.
import { MapChart } from 'echarts/charts';
import { GeoComponent } from 'echarts/components';

export const parts = [MapChart, GeoComponent];
