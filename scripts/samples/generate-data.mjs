// Generates the CSV data of samples/warehouse (a fictional photo-print shop) from a fixed seed.
// Same seed, same bytes: run `node scripts/samples/generate-data.mjs` and commit the output.
// Files: samples/warehouse/data/<schema>.<table>.csv and the dbt seeds under samples/warehouse/dbt/seeds/.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const WAREHOUSE = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'samples', 'warehouse');
const SEED = 20240611;

// mulberry32: tiny, fast, and stable across Node versions (Math.random is not seedable).
function makeRandom(seed) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min, max) => min + Math.floor(next() * (max - min + 1));
  const pick = (items) => items[Math.floor(next() * items.length)];
  const weighted = (pairs) => {
    const total = pairs.reduce((sum, [, w]) => sum + w, 0);
    let roll = next() * total;
    for (const [value, w] of pairs) {
      roll -= w;
      if (roll < 0) return value;
    }
    return pairs[pairs.length - 1][0];
  };
  const chance = (p) => next() < p;
  const uint32 = () => Math.floor(next() * 4294967296);
  return { next, int, pick, weighted, chance, uint32 };
}

const rnd = makeRandom(SEED);

// ---------- formatting ----------
const pad = (n, width = 2) => String(n).padStart(width, '0');
const fmtDate = (d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const fmtTs = (d) => `${fmtDate(d)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
const addMinutes = (d, minutes) => new Date(d.getTime() + minutes * 60_000);
const addDays = (d, days) => new Date(d.getTime() + days * 86_400_000);
const money = (n) => (Math.round(n * 100) / 100).toFixed(2);

// CSV: null is an empty unquoted field; text is quoted only when it must be (comma, quote, newline, edge spaces).
function csvField(value) {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'boolean' ? (value ? 'true' : 'false') : String(value);
  if (text === '' || /[",\r\n]/.test(text) || text.trim() !== text) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

function writeCsv(relativePath, columns, rows) {
  const file = join(WAREHOUSE, relativePath);
  mkdirSync(dirname(file), { recursive: true });
  const lines = [columns.join(',')];
  for (const row of rows) lines.push(columns.map((c) => csvField(row[c])).join(','));
  writeFileSync(file, lines.join('\n') + '\n', 'utf8');
  return { file: relativePath, rows: rows.length };
}

// ---------- reference data (also the dbt seeds) ----------
const COUNTRIES = [
  ['US', 'United States'], ['GB', 'United Kingdom'], ['DE', 'Germany'], ['FR', 'France'], ['CA', 'Canada'],
  ['AU', 'Australia'], ['NL', 'Netherlands'], ['ES', 'Spain'], ['IT', 'Italy'], ['SE', 'Sweden'],
  ['NO', 'Norway'], ['DK', 'Denmark'], ['FI', 'Finland'], ['IE', 'Ireland'], ['BE', 'Belgium'],
  ['AT', 'Austria'], ['CH', 'Switzerland'], ['PL', 'Poland'], ['CZ', 'Czechia'], ['PT', 'Portugal'],
  ['JP', 'Japan'], ['KR', 'South Korea'], ['SG', 'Singapore'], ['NZ', 'New Zealand'], ['MX', 'Mexico'],
  ['BR', 'Brazil'], ['AR', 'Argentina'], ['CL', 'Chile'], ['ZA', 'South Africa'], ['IN', 'India'],
  ['AE', 'United Arab Emirates'], ['IL', 'Israel'], ['TR', 'Türkiye'], ['GR', 'Greece'], ['HU', 'Hungary'],
  ['RO', 'Romania'], ['HR', 'Croatia'], ['SI', 'Slovenia'], ['SK', 'Slovakia'], ['LT', 'Lithuania'],
  ['LV', 'Latvia'], ['EE', 'Estonia'], ['IS', 'Iceland'], ['LU', 'Luxembourg'], ['MT', 'Malta'],
  ['CY', 'Cyprus'], ['HK', 'Hong Kong'], ['TW', 'Taiwan'], ['VN', 'Viet Nam'], ['CI', "Côte d'Ivoire"],
];

// Must match app/python/order_status.py, app/php/OrderStatus.php and the dbt accepted_values tests.
const ORDER_STATUSES = [
  [1, 'pending'], [2, 'paid'], [3, 'printing'], [4, 'shipped'], [5, 'delivered'], [6, 'cancelled'], [7, 'refunded'],
];

// Must match app/ts/carriers.ts.
const CARRIERS = ['UPS', 'FEDEX', 'DHL', 'USPS', 'ROYALMAIL', 'DPD'];

// Must match app/java/ShipmentState.java.
const SHIPMENT_STATE = { LABEL_CREATED: 1, IN_TRANSIT: 2, OUT_FOR_DELIVERY: 3, DELIVERED: 4, RETURNED: 5, LOST: 6 };

// Must match app/php/VendorNames.php (ids 101..120).
const VENDORS = [
  ['Lumen Print, Ltd.', 'GB', ['Prints', 'Posters']],
  ['Silverhalide Works', 'US', ['Prints']],
  ['Northlight Canvas Co.', 'CA', ['Canvas', 'Frames']],
  ['Papier & Encre "Atelier"', 'FR', ['Cards', 'Calendars']],
  ['Drukarnia Świt', 'PL', ['Photo Books', 'Calendars']],
  ['Fotolabor Größe GmbH', 'DE', ['Prints', 'Canvas']],
  ['Tōkyō Print Works', 'JP', ['Photo Books']],
  ['Harbor & Pine Framing', 'US', ['Frames']],
  ['Ceramica Bella S.r.l.', 'IT', ['Mugs']],
  ['Bluewater Mugs', 'US', ['Mugs', 'Cards']],
  ['Nordisk Fotobok AB', 'SE', ['Photo Books']],
  ['Grainhouse Posters', 'NL', ['Posters', 'Prints']],
  ['Estudio Revelado', 'ES', ['Prints', 'Cards']],
  ['Maple Leaf Imaging', 'CA', ['Calendars', 'Cards']],
  ['Southern Cross Prints Pty', 'AU', ['Prints', 'Canvas']],
  ['Alpine Frames AG', 'CH', ['Frames', 'Posters']],
  ['Kiwi Photo Co-op', 'NZ', ['Photo Books', 'Prints']],
  ['Brightline Canvas', 'US', ['Canvas']],
  ['Copperplate Press', 'IE', ['Cards', 'Posters']],
  ['Old Dock Printers (legacy)', 'US', ['Prints']],
];

const CATEGORY_ITEMS = {
  Prints: { price: [0.29, 14.99], items: ['4x6 Glossy Print', '5x7 Matte Print', '8x10 Lustre Print', 'Square Print 12" Matte', '11x14 Fine Art Print', 'Wallet Prints (set of 8)', 'Panoramic Print 10x30', 'Instant-Style Print'] },
  Canvas: { price: [29, 189], items: ['12x12 Canvas Wrap', '16x20 Canvas Wrap', '24x36 Gallery Canvas', 'Canvas Triptych', 'Mini Canvas 6x6', 'Float-Mounted Canvas 20x30'] },
  'Photo Books': { price: [19, 119], items: ['Softcover Book 8x8, 20 pages', 'Hardcover Book 8x8, 20 pages', 'Layflat Book 10x10', 'Leather Album 12x12', 'Pocket Book 5x5', 'Yearbook "Memories" Edition'] },
  Calendars: { price: [14.99, 39.99], items: ['Wall Calendar 11x8.5', 'Desk Calendar', 'Poster Calendar 18x24', 'Family Planner Calendar'] },
  Cards: { price: [1.49, 49], items: ['Holiday Card 5x7 (pack of 25)', 'Thank-You Card, folded', 'Birth Announcement', 'Wedding Invitation Set', 'Postcard 4x6', 'Greeting Card, foil'] },
  Mugs: { price: [12.99, 24.99], items: ['11 oz Photo Mug', '15 oz Photo Mug', 'Magic Colour-Change Mug', 'Travel Tumbler 20 oz', 'Enamel Camp Mug'] },
  Frames: { price: [9.99, 129], items: ['Black Frame 8x10', 'Oak Frame 11x14', 'Collage Frame (6 openings)', 'Floating Glass Frame', 'Shadow Box 12x12'] },
  Posters: { price: [7.99, 59], items: ['Poster 18x24', 'Poster 24x36', 'Metallic Poster 20x30', 'Map Poster "Where We Met"', 'Collage Poster'] },
};
const FINISHES = ['Classic', 'Premium', 'Eco', 'Studio', 'Express', 'Archival', 'Deluxe', 'Basic'];

const FIRST_NAMES = ['Emma', 'Liam', 'Olivia', 'Noah', 'Ava', 'Mason', 'Sophia', 'Lucas', 'Mia', 'Ethan', 'Amelia', 'James',
  'Harper', 'Benjamin', 'Ella', 'Henry', 'Grace', 'Jack', 'Chloe', 'Leo', 'Nora', 'Oscar', 'Ruby', 'Isaac', 'Hannah',
  'Samuel', 'Alice', 'David', 'Clara', 'Daniel', 'Maya', 'Thomas', 'Sara', 'Felix', 'Ingrid', 'Marco', 'Priya', 'Wei',
  'Aisha', 'Diego', 'Fatima', 'Kenji', 'Yuki', 'Omar', 'Elena', 'Pierre', 'Lena', 'Tomás', 'Zoë', 'José', 'Łukasz',
  'Søren', 'Anaïs', 'Björn', 'Chloé', 'Mårten', 'Ngọc', '花子', 'Dmitri', 'Siobhán'];
const LAST_NAMES = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Taylor',
  'Anderson', 'Thomas', 'Moore', 'Martin', 'Jackson', 'Lee', 'Walker', 'Hall', 'Young', 'King', 'Wright', 'Scott',
  'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Patel', 'Kim', 'Nguyen', 'Chen',
  'Schmidt', 'Fischer', 'Rossi', 'Dubois', 'Jansen', 'Larsen', 'Novak', 'Silva', 'Sato', 'Tanaka', "O'Brien",
  'Müller', 'Núñez', 'Kowalczyk', 'Ødegaard', 'Đặng', '山田', 'van der Berg', 'García-López'];
const COMPANIES = ['Smith, Jones & Partners', 'The "Golden Hour" Studio', 'Pixel & Grain, LLC', 'Café Lumière',
  'Foto Müller GmbH', 'Bright Day Weddings', 'North Shore School, PTA', 'Studio 54mm', "Ana's \"Little\" Moments",
  'Peak & Valley Events'];
const CITIES = {
  US: ['Seattle', 'Austin', 'Denver', 'Brooklyn', 'Portland', 'Chicago', 'San Diego', 'Boston'],
  GB: ['London', 'Leeds', 'Bristol', 'Edinburgh'], DE: ['Berlin', 'München', 'Köln', 'Hamburg'],
  FR: ['Paris', 'Lyon', 'Nantes'], CA: ['Toronto', 'Montréal', 'Vancouver'], AU: ['Sydney', 'Melbourne'],
  NL: ['Amsterdam', 'Utrecht'], ES: ['Madrid', 'Barcelona'], IT: ['Milano', 'Torino'], SE: ['Göteborg', 'Malmö'],
  JP: ['東京', 'Osaka'], IE: ['Dublin', 'Cork'], PL: ['Kraków', 'Gdańsk'], CH: ['Zürich', 'Genève'], NZ: ['Auckland'],
  MX: ['Ciudad de México'], BR: ['São Paulo'], NO: ['Oslo'], DK: ['København'], AT: ['Wien'],
};
const CUSTOMER_COUNTRY_WEIGHTS = [['US', 40], ['GB', 12], ['DE', 9], ['FR', 6], ['CA', 7], ['AU', 5], ['NL', 3],
  ['ES', 3], ['IT', 3], ['SE', 2], ['JP', 2], ['IE', 2], ['PL', 1], ['CH', 1], ['NZ', 1], ['MX', 1], ['BR', 1],
  ['NO', 1], ['DK', 1], ['AT', 1]];
const PROMO_CODES = ['WELCOME10', 'SPRING24', 'SUMMER24', 'BLACKFRIDAY', 'HOLIDAY24', 'VALENTINE25', 'SPRING25'];

const asciiSlug = (text) => text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');

// ---------- vendors ----------
const vendors = VENDORS.map(([name, country, categories], i) => {
  const vendorId = 101 + i;
  return {
    vendor_id: vendorId,
    vendor_name: name,
    country,
    contact_email: `orders@${asciiSlug(name.split(/[ ,(]/)[0]) || 'vendor'}${vendorId}.example.com`,
    lead_time_days: rnd.int(1, 6),
    is_active: name.includes('(legacy)') ? false : true,
    onboarded_on: fmtDate(addDays(new Date(Date.UTC(2019, 0, 15)), rnd.int(0, 1500))),
    categories,
  };
});

// ---------- skus ----------
const skus = [];
const categoryNames = Object.keys(CATEGORY_ITEMS);
for (let i = 0; i < 300; i++) {
  const category = rnd.pick(categoryNames);
  const spec = CATEGORY_ITEMS[category];
  const makers = vendors.filter((v) => v.categories.includes(category));
  const vendor = rnd.pick(makers);
  const item = rnd.pick(spec.items);
  const finish = rnd.pick(FINISHES);
  const [lo, hi] = spec.price;
  const price = lo + (hi - lo) * rnd.next() ** 1.6;
  const name = `${finish} ${item}`;
  skus.push({
    sku_id: 10001 + i,
    sku_name: name,
    category,
    vendor_id: vendor.vendor_id,
    list_price: money(price < 5 ? price : Math.floor(price) + 0.99),
    sku_description: i % 7 === 0
      ? `${name} by ${vendor.vendor_name}. Printed on demand; ships in ${vendor.lead_time_days}–${vendor.lead_time_days + 3} business days.\nCare: keep away from direct sunlight.`
      : `${name} by ${vendor.vendor_name}.`,
    is_discontinued: vendor.is_active === false || rnd.chance(0.05),
    created_at: fmtTs(addMinutes(new Date(Date.UTC(2022, 0, 3, 9)), rnd.int(0, 700 * 24 * 60))),
  });
}

// ---------- customers ----------
const customers = [];
for (let i = 0; i < 500; i++) {
  const customerId = i + 1;
  const first = rnd.pick(FIRST_NAMES);
  const last = rnd.pick(LAST_NAMES);
  const country = rnd.weighted(CUSTOMER_COUNTRY_WEIGHTS);
  const local = `${asciiSlug(first) || 'customer'}.${asciiSlug(last) || 'x'}${customerId}`;
  customers.push({
    customer_id: customerId,
    first_name: first,
    last_name: last,
    email: `${local}@${rnd.pick(['example.com', 'example.org', 'mail.example.net'])}`,
    company_name: rnd.chance(0.06) ? rnd.pick(COMPANIES) : null,
    city: rnd.pick(CITIES[country] ?? ['—']),
    country,
    loyalty_tier: rnd.weighted([[0, 60], [1, 25], [2, 11], [3, 4]]),
    marketing_opt_in: rnd.chance(0.55),
    signup_ts: fmtTs(addMinutes(new Date(Date.UTC(2021, 5, 1)), rnd.int(0, 940 * 24 * 60))),
  });
}

// ---------- orders ----------
// Popularity is skewed so "top customers" and "best sellers" queries have a clear head.
const skuWeights = skus.map((s, i) => [s, s.is_discontinued ? 0.2 : 1 / (1 + (i * 7919) % 300) ** 0.7]);
const customerWeights = customers.map((c, i) => [c, 1 / (1 + (i * 104729) % 500) ** 0.8]);
const vendorById = new Map(vendors.map((v) => [v.vendor_id, v]));

const ORDER_START = Date.UTC(2024, 0, 1);
const ORDER_END = Date.UTC(2025, 5, 30, 23, 59);
const ORDER_COUNT = 2000;
const orderTimes = Array.from({ length: ORDER_COUNT }, () => ORDER_START + rnd.next() * (ORDER_END - ORDER_START)).sort((a, b) => a - b);
const NULL_PRODUCT_ORDERS = new Set([1000137, 1000988, 1001642]);

const orders = [];
for (let i = 0; i < ORDER_COUNT; i++) {
  const orderId = 1000001 + i;
  const ts = new Date(Math.floor(orderTimes[i] / 1000) * 1000);
  const customer = rnd.weighted(customerWeights);
  const sku = rnd.weighted(skuWeights);
  const daysBeforeEnd = (ORDER_END - ts.getTime()) / 86_400_000;
  const status = daysBeforeEnd < 12
    ? rnd.weighted([[1, 20], [2, 20], [3, 25], [4, 30], [6, 5]])
    : rnd.weighted([[4, 1], [5, 71], [6, 24], [7, 4]]);
  const quantity = rnd.weighted([[1, 70], [2, 15], [3, 6], [4, 4], [5, 3], [10, 1], [25, 1]]);
  const promo = rnd.chance(0.14) ? rnd.pick(PROMO_CODES) : null;
  const listPrice = Number(sku.list_price);
  const unitPrice = promo ? listPrice * (1 - rnd.pick([0.1, 0.15, 0.2, 0.25])) : listPrice;
  const nullProduct = NULL_PRODUCT_ORDERS.has(orderId);
  orders.push({
    order_id: orderId,
    customer_id: customer.customer_id,
    product_id: nullProduct ? null : sku.sku_id,
    vendor_id: nullProduct ? null : sku.vendor_id,
    order_status: status,
    quantity,
    unit_price: money(unitPrice),
    promo_code: promo,
    order_ts: fmtTs(ts),
    ship_country: rnd.chance(0.93) ? customer.country : rnd.weighted(CUSTOMER_COUNTRY_WEIGHTS),
    gift_message: rnd.chance(0.04) ? rnd.pick(['Happy birthday, Mum!', 'Congrats on the new place 🏡', 'For "the" best grandad', 'Merry Christmas — love, us']) : null,
    loaded_at: fmtTs(addMinutes(new Date(Date.UTC(ts.getUTCFullYear(), ts.getUTCMonth(), ts.getUTCDate() + 1, 2, 15)), rnd.int(0, 20))),
    _ts: ts,
    _vendor: nullProduct ? null : vendorById.get(sku.vendor_id),
  });
}

// ---------- shipments (one per shipped, delivered or refunded order) ----------
function trackingNumber(carrier) {
  // Most carriers use numbers above 2^53, which JavaScript numbers cannot hold exactly; DPD's are short.
  if (carrier === 'DPD') return String(10_000_000_000_000 + rnd.int(0, 89_999_999) * 100_000 + rnd.int(0, 99_999));
  const high = BigInt(rnd.uint32() >>> 4); // 28 bits
  const low = BigInt(rnd.uint32());
  return String((1n << 60n) + (high << 32n) + low);
}

const shipments = [];
for (const order of orders) {
  if (![4, 5, 7].includes(order.order_status)) continue;
  const vendor = order._vendor ?? vendors[0];
  const carrier = rnd.weighted(order.ship_country === 'GB' ? [['ROYALMAIL', 5], ['DPD', 3], ['DHL', 2]]
    : order.ship_country === 'US' ? [['USPS', 4], ['UPS', 4], ['FEDEX', 3]]
      : [['DHL', 5], ['UPS', 2], ['FEDEX', 2], ['DPD', 2]]);
  const shippedAt = addMinutes(order._ts, (vendor.lead_time_days + rnd.int(0, 2)) * 1440 + rnd.int(-300, 300));
  const promisedBy = addDays(order._ts, vendor.lead_time_days + (order.ship_country === 'US' ? 5 : 8));
  const transitDays = rnd.weighted([[2, 20], [3, 30], [4, 20], [5, 12], [7, 8], [10, 6], [16, 4]]);
  let state;
  let deliveredAt = null;
  if (order.order_status === 4) {
    state = rnd.weighted([[SHIPMENT_STATE.LABEL_CREATED, 1], [SHIPMENT_STATE.IN_TRANSIT, 6], [SHIPMENT_STATE.OUT_FOR_DELIVERY, 2], [SHIPMENT_STATE.LOST, 1]]);
  } else {
    deliveredAt = addMinutes(shippedAt, transitDays * 1440 + rnd.int(-600, 600));
    state = order.order_status === 7 && rnd.chance(0.6) ? SHIPMENT_STATE.RETURNED : SHIPMENT_STATE.DELIVERED;
  }
  shipments.push({
    shipment_id: shipments.length + 1,
    order_id: order.order_id,
    carrier,
    tracking_no: trackingNumber(carrier),
    shipment_state: state,
    shipped_at: fmtTs(shippedAt),
    promised_by: fmtDate(promisedBy),
    delivered_at: deliveredAt ? fmtTs(deliveredAt) : null,
    weight_grams: rnd.int(40, 2400),
    shipping_cost: money(3.5 + rnd.next() * 18),
  });
}

// ---------- write ----------
const results = [
  writeCsv('data/sales.vendors.csv', ['vendor_id', 'vendor_name', 'country', 'contact_email', 'lead_time_days', 'is_active', 'onboarded_on'], vendors),
  writeCsv('data/sales.customers.csv', ['customer_id', 'first_name', 'last_name', 'email', 'company_name', 'city', 'country', 'loyalty_tier', 'marketing_opt_in', 'signup_ts'], customers),
  writeCsv('data/sales.skuinfo.csv', ['sku_id', 'sku_name', 'category', 'vendor_id', 'list_price', 'sku_description', 'is_discontinued', 'created_at'], skus),
  writeCsv('data/sales.orderinfo.csv', ['order_id', 'customer_id', 'product_id', 'vendor_id', 'order_status', 'quantity', 'unit_price', 'promo_code', 'order_ts', 'ship_country', 'gift_message', 'loaded_at'], orders),
  writeCsv('data/sales.shipments.csv', ['shipment_id', 'order_id', 'carrier', 'tracking_no', 'shipment_state', 'shipped_at', 'promised_by', 'delivered_at', 'weight_grams', 'shipping_cost'], shipments),
  writeCsv('dbt/seeds/order_status_codes.csv', ['code', 'label'], ORDER_STATUSES.map(([code, label]) => ({ code, label }))),
  writeCsv('dbt/seeds/country_codes.csv', ['country_code', 'country_name'], COUNTRIES.map(([country_code, country_name]) => ({ country_code, country_name }))),
];
for (const r of results) console.log(`${r.file}: ${r.rows} rows`);
