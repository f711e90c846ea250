// A seeded generator of PostHog traffic for the differential tests: projects in several time
// zones, visitors who browse anonymously and later identify or alias, person properties set and
// set once, groups with their own properties, events whose properties take every JSON type (or
// are missing), and timestamps that arrive out of order. The same seed always gives the same
// messages, and the generator replays them through its own model of identity so the reference
// engine knows, for every distinct id, the person it belongs to after the merges and that
// person's properties now.
//
// Messages come in three phases, each sent in full (and ingested) before the next starts:
//   1. captures, shuffled across batches, and the groups' first properties;
//   2. $identify (with $anon_distinct_id) and $create_alias: every merge;
//   3. captures that update person and group properties after the merges.
// Within a phase no two messages write different values to one person or group key, so the
// order the server ingests a phase in cannot change the outcome.

const DAY_MS = 24 * 3600 * 1000;

// mulberry32: small, fast and enough for test data.
export function seededRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (items) => items[Math.floor(next() * items.length)],
    chance: (p) => next() < p,
    weighted(table) {
      const total = table.reduce((sum, [, weight]) => sum + weight, 0);
      let r = next() * total;
      for (const [value, weight] of table) {
        r -= weight;
        if (r < 0) return value;
      }
      return table[table.length - 1][0];
    },
    uuid() {
      const hex = [];
      for (let i = 0; i < 16; i++) hex.push(Math.floor(next() * 256));
      hex[6] = (hex[6] & 0x0f) | 0x40;
      hex[8] = (hex[8] & 0x3f) | 0x80;
      const s = hex.map((b) => b.toString(16).padStart(2, '0')).join('');
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
}

// A value the property is left out for (the key is absent from the event).
export const MISSING = Symbol('missing');

const BROWSERS = [['Chrome', 40], ['Safari', 20], ['Firefox', 15], ['Edge', 8], ['Opera', 5],
  ['Brave', 4], ['Vivaldi', 3], ['Samsung Internet', 2], [null, 2], ['', 1], [MISSING, 2]];
const PATHS = ['/', '/pricing', '/docs/start', '/docs/api', '/blog/launch', '/blog/dst-notes',
  '/blog/columnar', '/about', '/signup', '/blog/', '/Blog/upper'];
const PRICES = [[() => 0, 1], ['int', 6], ['float', 6], ['numeric string', 2],
  [() => 'n/a', 1], [() => true, 1], [() => null, 1], [() => MISSING, 2]];

// A `posthogJs` project's events carry what posthog-js adds to every event besides $browser and
// $current_url (about 240 bytes of properties in all), and ~50 event names: the four above and
// custom ones, each rarer than the last.
const OPERATING_SYSTEMS = [['Windows', 45], ['Mac OS X', 25], ['iOS', 15], ['Android', 12],
  ['Linux', 3]];
const DEVICE_TYPES = { Windows: 'Desktop', 'Mac OS X': 'Desktop', Linux: 'Desktop', iOS: 'Mobile',
  Android: 'Mobile' };
const LIB_VERSIONS = [['1.160.3', 5], ['1.158.0', 3], ['1.139.2', 2]];
const EVENTS = [['$pageview', 12], ['clicked button', 3], ['purchase', 2], ['signup', 1]];
const CUSTOM_EVENTS = ['report viewed', 'report saved', 'dashboard viewed', 'dashboard created',
  'invite sent', 'invite accepted', 'file uploaded', 'file downloaded', 'search performed',
  'filter applied', 'export started', 'export finished', 'comment added', 'comment deleted',
  'project created', 'project archived', 'settings changed', 'password reset', 'logged in',
  'logged out', 'plan viewed', 'checkout started', 'coupon applied', 'cart updated',
  'item added', 'item removed', 'video played', 'video paused', 'tour started', 'tour finished',
  'help opened', 'feedback sent', 'api key created', 'webhook added', 'integration connected',
  'notification opened', 'email verified', 'profile updated', 'avatar uploaded', 'team joined',
  'team left', 'billing updated', 'trial started', 'trial extended', 'survey shown',
  'survey answered'].map((name, i) => [name, 1 / (i + 2)]);

// A posthog-js session id (a UUIDv7: its first 48 bits are the session's start in ms).
function sessionId(random, ms) {
  const time = ms.toString(16).padStart(12, '0');
  const rest = random.uuid();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${rest.slice(15, 18)}-${rest.slice(19)}`;
}

function price(random) {
  const kind = random.weighted(PRICES);
  if (kind === 'int') return random.int(1, 500);
  if (kind === 'float') return random.int(1, 50000) / 100;
  if (kind === 'numeric string') return String(random.int(1, 9999) / 10);
  return kind();
}

function withoutMissing(properties) {
  if (!Object.values(properties).includes(MISSING)) return properties;
  return Object.fromEntries(Object.entries(properties).filter(([, v]) => v !== MISSING));
}

// What the server's identity rules do with the messages, replayed in phase order.
class IdentityModel {
  constructor(prefix) {
    this.prefix = prefix;
    this.personOf = new Map();  // distinct id -> person
    this.persons = [];
    this.groups = new Map();    // group key -> properties
  }

  ensure(distinctId) {
    let person = this.personOf.get(distinctId);
    if (!person) {
      person = { id: `${this.prefix}-person-${this.persons.length}`, properties: {},
                 identified: false };
      this.persons.push(person);
      this.personOf.set(distinctId, person);
    }
    return person;
  }

  // $set overwrites; $set_once only writes keys the person does not have (even as null).
  applySets(person, properties) {
    for (const [key, value] of Object.entries(properties.$set_once || {})) {
      if (!(key in person.properties)) person.properties[key] = value;
    }
    Object.assign(person.properties, properties.$set || {});
  }

  // Merges `otherId`'s person into `targetId`'s; the target's properties win.
  merge(targetId, otherId) {
    const target = this.ensure(targetId);
    const other = this.personOf.get(otherId);
    if (!other) {
      this.personOf.set(otherId, target);
      return target;
    }
    if (other === target) return target;
    if (other.identified) throw new Error(`generator merges identified ${otherId}`);
    target.properties = { ...other.properties, ...target.properties };
    for (const [id, person] of this.personOf) if (person === other) this.personOf.set(id, target);
    this.persons = this.persons.filter((p) => p !== other);
    return target;
  }

  apply(message) {
    if (message.kind === 'capture') {
      const person = this.ensure(message.distinctId);
      this.applySets(person, message.properties);
    } else if (message.kind === 'identify') {
      const person = message.properties.$anon_distinct_id
        ? this.merge(message.distinctId, message.properties.$anon_distinct_id)
        : this.ensure(message.distinctId);
      person.identified = true;
      this.applySets(person, message.properties);
    } else if (message.kind === 'alias') {
      this.merge(message.distinctId, message.alias);
    } else if (message.kind === 'groupIdentify') {
      const current = this.groups.get(message.groupKey) || {};
      this.groups.set(message.groupKey, { ...current, ...message.properties });
    }
  }
}

function generateProject(random, project, window) {
  const { key } = project;
  const phases = [[], [], []];
  const span = window.endMs - window.startMs;
  // Whole seconds, never the first or last second of a minute: no event sits on a bucket edge
  // or on an inclusive range end (`23:59:59`), so the few milliseconds the server's clock-skew
  // correction adds cannot move it across one.
  const at = (ms) => {
    const second = Math.floor(ms / 1000) * 1000;
    const inMinute = second % 60000;
    return inMinute === 0 || inMinute === 59000 ? second - inMinute + 7000 : second;
  };
  const randomTime = (from = window.startMs, to = window.endMs) =>
    at(from + random.next() * (to - from));
  const companies = ['acme', 'globex', 'initech', 'umbrella', 'hooli', 'stark'];

  const capture = (phase, distinctId, event, timestamp, properties, groups) => {
    const message = { kind: 'capture', distinctId, event, timestamp, uuid: random.uuid(),
                      properties: withoutMissing(properties) };
    if (groups) message.groups = groups;
    phases[phase].push(message);
    return message;
  };

  // `activity` (default 1) multiplies the events each person browses, `posthogJs` gives every
  // event posthog-js's properties and draws from ~50 event names.
  const activity = project.activity ?? 1;
  const events = project.posthogJs ? [...EVENTS, ...CUSTOM_EVENTS] : EVENTS;
  const browse = (phase, distinctId, visitor, count, from, to, extra = {}) => {
    if (phase === 0) count = Math.max(1, Math.round(count * activity));
    const sessions = new Map();  // day → session id
    for (let i = 0; i < count; i++) {
      const when = randomTime(from, to);
      const event = random.weighted(events);
      const browser = random.chance(0.9) ? visitor.browser : random.weighted(BROWSERS);
      const host = random.pick(['example.com', 'www.example.com']);
      const path = random.pick(PATHS);
      const properties = {
        $browser: browser,
        $current_url: `https://${host}${path}${random.chance(0.2) ? '?ref=' + random.int(1, 3) : ''}`,
        ...extra,
      };
      if (project.posthogJs) {
        const day = Math.floor(when / DAY_MS);
        if (!sessions.has(day)) sessions.set(day, sessionId(random, when));
        Object.assign(properties, {
          $os: visitor.os, $device_type: DEVICE_TYPES[visitor.os], $pathname: path, $lib: 'web',
          $lib_version: visitor.libVersion, $session_id: sessions.get(day),
        });
      }
      if (event === 'purchase' || (event === 'clicked button' && random.chance(0.5))) {
        properties.price = price(random);
        properties.quantity = random.chance(0.9) ? random.int(1, 5) : MISSING;
        properties.is_paid = random.weighted([[true, 3], [false, 2], [MISSING, 1]]);
      }
      if (event === 'clicked button') properties.button = random.pick(['Buy', 'Try', null]);
      capture(phase, distinctId, event, when, properties,
              visitor.company ? { company: visitor.company } : undefined);
    }
  };

  const device = () => (project.posthogJs
    ? { os: random.weighted(OPERATING_SYSTEMS), libVersion: random.weighted(LIB_VERSIONS) }
    : {});

  // Groups: their first properties in phase 1, a change for some in phase 3.
  for (const company of companies) {
    phases[0].push({ kind: 'groupIdentify', groupType: 'company', groupKey: company,
                     properties: { industry: random.pick(['tech', 'retail', 'health']),
                                   employees: random.int(5, 5000) } });
    if (random.chance(0.4)) {
      phases[2].push({ kind: 'groupIdentify', groupType: 'company', groupKey: company,
                       properties: { industry: 'finance' } });
    }
  }

  // Users: browse under their own id (setting the same person properties every time), usually
  // after browsing anonymously under one or two ids; some also alias another id.
  for (let u = 0; u < project.users; u++) {
    const userId = `${key}-user-${u}`;
    const visitor = { browser: random.weighted(BROWSERS.slice(0, 8)),
                      company: random.chance(0.6) ? random.pick(companies) : null,
                      ...device() };
    const landing = random.pick(PATHS);
    const $set = withoutMissing({
      plan: random.weighted([['free', 5], ['pro', 3], ['team', 2], [MISSING, 1]]),
      age: random.chance(0.8) ? random.int(18, 80) : MISSING,
      beta: random.weighted([[true, 1], [false, 2], [MISSING, 1]]),
    });
    const setOnce = { signup_source: random.pick(['ads', 'search', 'friend']), landing };
    const firstSeen = randomTime(window.startMs, window.endMs - 3 * DAY_MS);
    browse(0, userId, visitor, random.int(2, 14), firstSeen, window.endMs,
           { $set, $set_once: setOnce });

    const anonCount = random.weighted([[0, 1], [1, 3], [2, 1]]);
    const anonBrowser = visitor.browser;
    for (let a = 0; a < anonCount; a++) {
      const anonId = `${key}-anon-${u}-${a}`;
      if (random.chance(0.85)) {
        browse(0, anonId, visitor, random.int(1, 8), firstSeen - 5 * DAY_MS, firstSeen + DAY_MS,
               { $set_once: { first_browser: anonBrowser, landing: `/anon${landing}` } });
      }
      phases[1].push({ kind: 'identify', distinctId: userId,
                       properties: { $set: { email: `${userId}@example.com` }, $set_once: {},
                                     $anon_distinct_id: anonId } });
    }
    if (random.chance(0.2)) {
      const aliasId = `${key}-alias-${u}`;
      browse(0, aliasId, visitor, random.int(1, 5), firstSeen, window.endMs);
      phases[1].push({ kind: 'alias', distinctId: userId, alias: aliasId });
    }
    if (random.chance(0.3)) {
      // An upgrade after the merges, sent from the anonymous id when there is one: it reaches
      // the merged person. The $set_once finds the key set and changes nothing.
      const from = anonCount && random.chance(0.5) ? `${key}-anon-${u}-0` : userId;
      browse(2, from, visitor, 1, window.endMs - 4 * DAY_MS, window.endMs,
             { $set: { plan: 'enterprise' }, $set_once: { signup_source: 'later' } });
    }
  }

  // Visitors who never identify.
  for (let v = 0; v < project.visitors; v++) {
    const visitor = { browser: random.weighted(BROWSERS), company: null, ...device() };
    browse(0, `${key}-visitor-${v}`, visitor, random.int(1, 10), window.startMs, window.endMs);
  }

  random.shuffle(phases[0]);
  random.shuffle(phases[2]);

  const model = new IdentityModel(key);
  for (const phase of phases) for (const message of phase) model.apply(message);
  return { ...project, phases, model };
}

// Every message of a project with the row the reference engine stores for it: the event's own
// properties as sent (not the $set instructions), the person its distinct id belongs to after
// every merge and that person's properties now, and the event's group and its properties now.
// Messages sent without a timestamp (identify, alias, groupidentify) get `sentAtMs`.
export function referenceRows(project, sentAtMs) {
  const rows = [];
  for (const phase of project.phases) {
    for (const message of phase) {
      let distinctId = message.distinctId;
      let event;
      let properties = {};
      if (message.kind === 'capture') {
        event = message.event;
        const { $set, $set_once, ...own } = message.properties;
        properties = own;
      } else if (message.kind === 'identify') {
        event = '$identify';
      } else if (message.kind === 'alias') {
        event = '$create_alias';
      } else {
        event = '$groupidentify';
        distinctId = `$${message.groupType}_${message.groupKey}`;
      }
      const person = project.model.personOf.get(distinctId);
      const company = message.groups?.company || '';
      rows.push({
        uuid: message.uuid || '',
        event,
        distinct_id: distinctId,
        timestamp: Math.floor((message.timestamp ?? sentAtMs) / 1000),
        properties: JSON.stringify(properties),
        person_id: person ? person.id : '',
        person_properties: JSON.stringify(person ? person.properties : {}),
        group_0: company,
        group_0_properties: JSON.stringify(company ? project.model.groups.get(company) : {}),
      });
    }
  }
  return rows;
}

// The generated data set: `projects` is a list of {key, timezone, weekStartDay, users,
// visitors, and optionally activity and posthogJs}; events fall in [startMs, endMs).
export function generate({ seed, startMs, endMs, projects }) {
  const random = seededRandom(seed);
  const window = { startMs, endMs };
  return { startMs, endMs, projects: projects.map((p) => generateProject(random, p, window)) };
}
