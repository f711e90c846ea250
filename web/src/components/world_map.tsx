// The WorldMap display of Trends: the countries of Natural Earth's 1:110m map (world-atlas),
// each filled by its share of the largest total of a breakdown by $geoip_country_code (ISO
// 3166-1 alpha-2, matched to the map's numeric codes through i18n-iso-countries' table), on an
// equirectangular projection. A country's title and the table under the map are text; clicking
// a country with a total lists its persons.
import countryCodes from 'i18n-iso-countries/codes.json';
import { feature } from 'topojson-client';
import world from 'world-atlas/countries-110m.json';

export interface CountryShape { code: string; name: string; path: string }

const WIDTH = 960;
const HEIGHT = 373;  // latitudes 84 N to 56 S
const TOP = 84;

function project([lon, lat]: number[]): string {
  const x = ((lon + 180) / 360) * WIDTH;
  const y = ((TOP - lat) / 360) * WIDTH;
  return `${x.toFixed(1)},${y.toFixed(1)}`;
}

// A ring's path; a ring crossing the antimeridian is unwrapped (its longitudes kept continuous)
// so it runs past the map's edge, which clips it, instead of across the whole map.
function ringPath(ring: number[][]): string {
  let previous = ring[0]?.[0] ?? 0;
  const unwrapped = ring.map(([lon, lat]) => {
    let x = lon;
    while (x - previous > 180) x -= 360;
    while (previous - x > 180) x += 360;
    previous = x;
    return [x, lat];
  });
  return `M${unwrapped.map(project).join('L')}Z`;
}

let shapes: CountryShape[] | null = null;

// The map's countries with an alpha-2 code (Antarctica left out), built once.
export function countryShapes(): CountryShape[] {
  if (shapes) return shapes;
  const alpha2 = new Map(countryCodes.map((row) => [row[2], row[0]]));
  const collection = feature(world, world.objects.countries);
  shapes = [];
  for (const country of collection.features) {
    const code = alpha2.get(String(country.id));
    if (!code || code === 'AQ' || !country.geometry) continue;
    const polygons: number[][][][] = country.geometry.type === 'Polygon'
      ? [country.geometry.coordinates] : country.geometry.coordinates;
    shapes.push({ code, name: String(country.properties?.name ?? code),
                  path: polygons.map((rings) => rings.map(ringPath).join('')).join('') });
  }
  return shapes;
}

export function WorldMap({ totals, onCountry }: {
  totals: Map<string, number>; onCountry?: (code: string) => void;
}) {
  const max = Math.max(0, ...totals.values());
  return (
    <svg class="world-map" data-testid="world-map" viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img"
         aria-label="World map">
      {countryShapes().map((country) => {
        const value = totals.get(country.code) ?? 0;
        const share = max > 0 ? value / max : 0;
        return (
          <path key={country.code} d={country.path} data-testid="world-country"
                data-code={country.code} data-value={value}
                fill={value > 0 ? '#1d4aff' : '#e5e7eb'} fill-opacity={value > 0 ? 0.2 + 0.8 * share : 1}
                stroke="#fff" stroke-width="0.5"
                class={value > 0 && onCountry ? 'clickable' : undefined}
                onClick={() => value > 0 && onCountry?.(country.code)}>
            <title>{`${country.name}: ${value}`}</title>
          </path>
        );
      })}
    </svg>
  );
}
