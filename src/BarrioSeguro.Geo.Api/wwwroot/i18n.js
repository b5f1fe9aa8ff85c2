// Texts of the map viewer. Spanish (es-PE) is the default; English is available.
// Language choice: ?lang=en|es in the URL wins, then localStorage, then Spanish.

export const LANGS = ['es', 'en'];
const STORAGE_KEY = 'barrioViewer.lang';

const messages = {
  es: {
    'app.title': 'BarrioSeguro.Geo — Visor de mapa',
    'app.subtitle': 'Estrategia Multisectorial Barrio Seguro',
    'lang.label': 'Idioma',
    'lang.switchTo': 'Cambiar idioma',
    'panel.layers': 'Capas',
    'panel.legend': 'Leyenda',
    'panel.info': 'Detalle del elemento',
    'panel.infoHint': 'Haga clic en un elemento del mapa para ver sus datos.',
    'panel.noFeature': 'No hay elementos en ese punto.',
    'panel.close': 'Cerrar',
    'layer.districts': 'Distritos',
    'layer.neighborhoods': 'Barrio Seguro',
    'layer.streets': 'Calles',
    'layer.stations': 'Comisarías',
    'layer.incidents': 'Incidentes',
    'layer.zoomIn': 'acerque para ver',
    'layer.count': '{n} elementos',
    'legend.district': 'Límite distrital',
    'legend.neighborhood': 'Barrio Seguro (polígono)',
    'legend.neighborhoodIllustrative': 'límite ilustrativo, no oficial',
    'legend.street.major': 'Vía principal / secundaria / terciaria',
    'legend.street.motorway': 'Autopista / vía troncal',
    'legend.street.residential': 'Calle residencial / de servicio',
    'legend.street.path': 'Peatonal / sendero / escaleras',
    'legend.street.track': 'Trocha / en construcción',
    'legend.station': 'Comisaría / dependencia policial',
    'legend.incident': 'Incidente',
    'legend.incidentSynthetic': 'Incidente sintético (dato de prueba, no es una denuncia real)',
    'status.loading': 'Cargando capas…',
    'status.ready': 'Listo',
    'status.lonlat': 'Lon/Lat (WGS84)',
    'error.title': 'No se pudieron cargar algunas capas',
    'error.layer': 'Capa «{layer}»: {message}',
    'error.http': 'el servidor respondió HTTP {status}',
    'error.network': 'no hay conexión con el servidor',
    'error.badJson': 'respuesta no válida del servidor',
    'error.retry': 'Reintentar',
    'error.dismiss': 'Ocultar',
    'btn.zoomNeighborhood': 'Ver barrio',
    'btn.zoomNeighborhoodTitle': 'Encuadrar el mapa en el Barrio Seguro',
    'btn.zoomDistricts': 'Ver distritos',
    'btn.zoomDistrictsTitle': 'Encuadrar el mapa en los distritos',
    'zoom.in': 'Acercar',
    'zoom.out': 'Alejar',
    'attr.osm': '© colaboradores de OpenStreetMap (ODbL)',
    'attr.inei': 'Límites distritales: INEI (CC BY 4.0)',
    'attr.illustrative': 'Barrio Seguro: límite ilustrativo',
    'attr.synthetic': 'Incidentes sintéticos',
    'map.illustrative': 'límite ilustrativo',
    'prop.ubigeo': 'Ubigeo',
    'prop.name': 'Nombre',
    'prop.province': 'Provincia',
    'prop.id': 'ID',
    'prop.districtUbigeo': 'Distrito',
    'prop.status': 'Estado',
    'prop.version': 'Versión',
    'prop.isIllustrative': 'Límite ilustrativo',
    'prop.areaKm2': 'Área',
    'prop.description': 'Descripción',
    'prop.osmId': 'ID OSM',
    'prop.operator': 'Operador',
    'prop.class': 'Tipo de vía',
    'prop.oneway': 'Sentido único',
    'prop.occurredAt': 'Fecha y hora',
    'prop.category': 'Categoría',
    'prop.isSynthetic': 'Origen',
    'value.yes': 'Sí',
    'value.no': 'No',
    'value.unnamed': '(sin nombre)',
    'value.empty': '—',
    'value.synthetic': 'Sintético (dato de prueba)',
    'value.real': 'Real',
    'value.illustrativeYes': 'Sí — no es el límite oficial',
    'value.timeZone': 'hora de Lima',
    'status.draft': 'borrador',
    'status.active': 'activo',
    'status.approved': 'aprobado',
    'status.archived': 'archivado',
    'status.proposed': 'propuesto',
    'class.motorway': 'autopista',
    'class.motorway_link': 'enlace de autopista',
    'class.trunk': 'vía troncal',
    'class.trunk_link': 'enlace de vía troncal',
    'class.primary': 'vía principal',
    'class.primary_link': 'enlace de vía principal',
    'class.secondary': 'vía secundaria',
    'class.secondary_link': 'enlace de vía secundaria',
    'class.tertiary': 'vía terciaria',
    'class.tertiary_link': 'enlace de vía terciaria',
    'class.unclassified': 'vía sin clasificar',
    'class.residential': 'calle residencial',
    'class.living_street': 'calle de coexistencia',
    'class.service': 'vía de servicio',
    'class.pedestrian': 'vía peatonal',
    'class.footway': 'vereda / camino peatonal',
    'class.path': 'sendero',
    'class.steps': 'escaleras',
    'class.cycleway': 'ciclovía',
    'class.track': 'trocha',
    'class.construction': 'en construcción',
  },
  en: {
    'app.title': 'BarrioSeguro.Geo — Map viewer',
    'app.subtitle': 'Safe Neighbourhood Strategy (Barrio Seguro)',
    'lang.label': 'Language',
    'lang.switchTo': 'Change language',
    'panel.layers': 'Layers',
    'panel.legend': 'Legend',
    'panel.info': 'Feature details',
    'panel.infoHint': 'Click a feature on the map to see its data.',
    'panel.noFeature': 'No features at that point.',
    'panel.close': 'Close',
    'layer.districts': 'Districts',
    'layer.neighborhoods': 'Barrio Seguro',
    'layer.streets': 'Streets',
    'layer.stations': 'Police stations',
    'layer.incidents': 'Incidents',
    'layer.zoomIn': 'zoom in to see',
    'layer.count': '{n} features',
    'legend.district': 'District boundary',
    'legend.neighborhood': 'Barrio Seguro (polygon)',
    'legend.neighborhoodIllustrative': 'illustrative boundary, not official',
    'legend.street.major': 'Primary / secondary / tertiary road',
    'legend.street.motorway': 'Motorway / trunk road',
    'legend.street.residential': 'Residential / service street',
    'legend.street.path': 'Footway / path / steps',
    'legend.street.track': 'Track / under construction',
    'legend.station': 'Police station (comisaría)',
    'legend.incident': 'Incident',
    'legend.incidentSynthetic': 'Synthetic incident (test data, not a real report)',
    'status.loading': 'Loading layers…',
    'status.ready': 'Ready',
    'status.lonlat': 'Lon/Lat (WGS84)',
    'error.title': 'Some layers could not be loaded',
    'error.layer': 'Layer “{layer}”: {message}',
    'error.http': 'the server answered HTTP {status}',
    'error.network': 'cannot reach the server',
    'error.badJson': 'invalid response from the server',
    'error.retry': 'Retry',
    'error.dismiss': 'Hide',
    'btn.zoomNeighborhood': 'Neighbourhood',
    'btn.zoomNeighborhoodTitle': 'Fit the map to the Barrio Seguro neighbourhood',
    'btn.zoomDistricts': 'Districts',
    'btn.zoomDistrictsTitle': 'Fit the map to the districts',
    'zoom.in': 'Zoom in',
    'zoom.out': 'Zoom out',
    'attr.osm': '© OpenStreetMap contributors (ODbL)',
    'attr.inei': 'District limits: INEI (CC BY 4.0)',
    'attr.illustrative': 'Barrio Seguro: illustrative boundary',
    'attr.synthetic': 'Synthetic incidents',
    'map.illustrative': 'illustrative boundary',
    'prop.ubigeo': 'Ubigeo',
    'prop.name': 'Name',
    'prop.province': 'Province',
    'prop.id': 'ID',
    'prop.districtUbigeo': 'District',
    'prop.status': 'Status',
    'prop.version': 'Version',
    'prop.isIllustrative': 'Illustrative boundary',
    'prop.areaKm2': 'Area',
    'prop.description': 'Description',
    'prop.osmId': 'OSM ID',
    'prop.operator': 'Operator',
    'prop.class': 'Road class',
    'prop.oneway': 'One-way',
    'prop.occurredAt': 'Date and time',
    'prop.category': 'Category',
    'prop.isSynthetic': 'Origin',
    'value.yes': 'Yes',
    'value.no': 'No',
    'value.unnamed': '(unnamed)',
    'value.empty': '—',
    'value.synthetic': 'Synthetic (test data)',
    'value.real': 'Real',
    'value.illustrativeYes': 'Yes — not the official boundary',
    'value.timeZone': 'Lima time',
    'status.draft': 'draft',
    'status.active': 'active',
    'status.approved': 'approved',
    'status.archived': 'archived',
    'status.proposed': 'proposed',
    'class.motorway': 'motorway',
    'class.motorway_link': 'motorway link',
    'class.trunk': 'trunk road',
    'class.trunk_link': 'trunk link',
    'class.primary': 'primary road',
    'class.primary_link': 'primary link',
    'class.secondary': 'secondary road',
    'class.secondary_link': 'secondary link',
    'class.tertiary': 'tertiary road',
    'class.tertiary_link': 'tertiary link',
    'class.unclassified': 'unclassified road',
    'class.residential': 'residential street',
    'class.living_street': 'living street',
    'class.service': 'service road',
    'class.pedestrian': 'pedestrian street',
    'class.footway': 'footway',
    'class.path': 'path',
    'class.steps': 'steps',
    'class.cycleway': 'cycleway',
    'class.track': 'track',
    'class.construction': 'under construction',
  },
};

export const LOCALES = { es: 'es-PE', en: 'en-GB' };

function readStored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (private mode, file://)
  }
}

function initialLang() {
  const fromUrl = new URLSearchParams(location.search).get('lang');
  if (fromUrl && LANGS.includes(fromUrl.toLowerCase())) {
    return fromUrl.toLowerCase();
  }
  const stored = readStored();
  return stored && LANGS.includes(stored) ? stored : 'es';
}

let current = initialLang();
const listeners = new Set();

export function getLang() {
  return current;
}

export function getLocale() {
  return LOCALES[current];
}

/** Sets the language, remembers it in localStorage, keeps ?lang= in the URL in step, and notifies listeners. */
export function setLang(lang) {
  if (!LANGS.includes(lang) || lang === current) {
    return;
  }
  current = lang;
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* ignore */
  }
  const url = new URL(location.href);
  if (url.searchParams.has('lang')) {
    url.searchParams.set('lang', lang);
    history.replaceState(null, '', url);
  }
  listeners.forEach((fn) => fn(lang));
}

export function onLangChange(fn) {
  listeners.add(fn);
}

/** Translates a key; `{name}` placeholders are filled from params. Falls back to Spanish, then to the key. */
export function t(key, params) {
  const text = messages[current][key] ?? messages.es[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m)) : text;
}

/** True when the key exists (used for optional value translations such as road classes). */
export function has(key) {
  return key in messages[current] || key in messages.es;
}

/** Fills every [data-i18n] (text), [data-i18n-title] and [data-i18n-aria-label] element under root. */
export function applyTranslations(root = document) {
  document.documentElement.lang = getLocale();
  root.querySelectorAll('[data-i18n]').forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll('[data-i18n-title]').forEach((el) => {
    el.title = t(el.dataset.i18nTitle);
  });
  root.querySelectorAll('[data-i18n-aria-label]').forEach((el) => {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  });
}
