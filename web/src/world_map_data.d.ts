// Types of the world map's data modules (components/world_map.tsx): world-atlas's countries
// TopoJSON, i18n-iso-countries' code table and topojson-client's feature().
declare module 'world-atlas/countries-110m.json' {
  const topology: any;
  export default topology;
}
declare module 'i18n-iso-countries/codes.json' {
  // [alpha-2, alpha-3, numeric, ISO 3166-2 name] per country.
  const codes: string[][];
  export default codes;
}
declare module 'topojson-client' {
  export function feature(topology: any, object: any): any;
}
