// Draws docs/architecture.svg from the layers of eslint.layers.js (the lint rule that keeps imports
// pointing down), so the picture cannot disagree with the code's structure. Run with
// `npx tsx scripts/architecture-diagram.ts`; test/docs/architecture-diagram.test.ts checks that the
// committed file is what this script draws.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { layers } from '../eslint.layers.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

type Kind = 'host' | 'foundation' | 'ports' | 'blocks' | 'booking' | 'http' | 'adapters' | 'testing' | 'kit';

/** What each folder of src/ holds, in a few words, and the kind of part it is. */
const FOLDERS: Record<string, { readonly text: string; readonly kind: Kind }> = {
  errors: { text: 'BookingKitError, stable codes', kind: 'foundation' },
  util: { text: 'options, ids, abort', kind: 'foundation' },
  observability: {
    text: 'OpenTelemetry metrics and spans (no-op unless the host sets up an SDK)',
    kind: 'foundation',
  },
  domain: { text: 'Appointment, Customer, Call, Origin', kind: 'foundation' },
  ports: { text: 'repositories, unit of work, outbox, calendar, cache, locks, clock, logger', kind: 'ports' },
  events: { text: 'typed bus, outbox relay', kind: 'blocks' },
  resilience: { text: 'breaker, retry, timeout', kind: 'blocks' },
  idempotency: { text: 'store port, idempotent()', kind: 'blocks' },
  tenancy: { text: 'tenant directory', kind: 'blocks' },
  saga: { text: 'coordinator, step log, recovery', kind: 'blocks' },
  booking: { text: 'BookingService, availability, events, listeners', kind: 'booking' },
  reconcile: { text: 'plan, apply, schedule', kind: 'booking' },
  http: {
    text: '(Request) => Response: REST, admin, health, webhooks; Node, Express, Fastify adapters',
    kind: 'http',
  },
  adapters: { text: '', kind: 'adapters' },
  calcom: { text: 'client, calendar, webhooks', kind: 'adapters' },
  retell: { text: 'webhooks, voice, client', kind: 'adapters' },
  testing: { text: 'simulators, contract suites, fake clock', kind: 'testing' },
  kit: { text: 'createBookingKit: the composition root', kind: 'kit' },
};

/** What each adapter family of src/adapters/ holds. */
const ADAPTER_TEXT: Record<string, string> = {
  memory: 'every port: the default',
  postgres: 'pg or PGlite; migrations',
  redis: 'ioredis: shared state',
};

/** The public entry that serves each folder (DESIGN.md, "Package shape"). */
const ENTRIES: Record<string, string> = {
  calcom: 'bookingkit/calcom',
  retell: 'bookingkit/retell',
  http: 'bookingkit/http',
  testing: 'bookingkit/testing',
  'adapters/postgres': 'bookingkit/postgres',
  'adapters/redis': 'bookingkit/redis',
};

const COLOURS: Record<Kind, { readonly fill: string; readonly stroke: string }> = {
  host: { fill: '#ffffff', stroke: '#57606a' },
  foundation: { fill: '#f6f8fa', stroke: '#8c959f' },
  ports: { fill: '#fff8c5', stroke: '#bf8700' },
  blocks: { fill: '#ddf4ff', stroke: '#0969da' },
  booking: { fill: '#dafbe1', stroke: '#1a7f37' },
  http: { fill: '#fbefff', stroke: '#8250df' },
  adapters: { fill: '#fff1e5', stroke: '#bc4c00' },
  testing: { fill: '#ffebe9', stroke: '#cf222e' },
  kit: { fill: '#eaeef2', stroke: '#24292f' },
};

interface Box {
  readonly title: string;
  readonly text: string;
  readonly entry: string;
  readonly kind: Kind;
}

/** The boxes of one layer: the adapters folder is drawn as one box per adapter family. */
function boxesOf(layer: readonly string[]): Box[] {
  return layer.flatMap((folder): Box[] => {
    const info = FOLDERS[folder];
    if (!info) throw new Error(`eslint.layers.js names src/${folder}/, which the diagram does not describe`);
    if (folder === 'adapters') {
      return readdirSync(join(root, 'src', 'adapters'), { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .map((entry) => entry.name)
        .sort((a, b) => (a === 'memory' ? -1 : b === 'memory' ? 1 : a.localeCompare(b)))
        .map((name) => ({
          title: `adapters/${name}`,
          text: ADAPTER_TEXT[name] ?? `${name} adapters`,
          entry: ENTRIES[`adapters/${name}`] ?? 'bookingkit',
          kind: 'adapters' as const,
        }));
    }
    return [
      { title: `${folder}/`, text: info.text, entry: ENTRIES[folder] ?? 'bookingkit', kind: info.kind },
    ];
  });
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The SVG text of the diagram. */
export function architectureSvg(): string {
  const width = 980;
  const left = 150;
  const right = 20;
  const rowHeight = 58;
  const gap = 10;
  const top = 50;
  const rows: Box[][] = [
    [
      {
        title: 'your application',
        text: 'Express, Fastify, Hono, Next.js, a worker',
        entry: '',
        kind: 'host',
      },
    ],
    ...[...layers].reverse().map((layer) => boxesOf(layer)),
  ];
  const height = top + rows.length * (rowHeight + gap) + 44;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" role="img" aria-labelledby="title">`,
    '<title id="title">bookingkit: the layers of src/, highest first; imports point down only</title>',
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${left}" y="28" font-size="18" font-weight="600" fill="#24292f">bookingkit: blocks, ports and adapters</text>`,
    `<text x="${width - right}" y="28" font-size="12" fill="#57606a" text-anchor="end">each box: folder of src/, what it holds, its entry point</text>`,
  ];
  rows.forEach((row, index) => {
    const y = top + index * (rowHeight + gap);
    const label = index === 0 ? 'host' : `layer ${rows.length - index}`;
    out.push(`<text x="20" y="${y + rowHeight / 2 + 4}" font-size="12" fill="#57606a">${label}</text>`);
    const boxWidth = (width - left - right - gap * (row.length - 1)) / row.length;
    row.forEach((box, column) => {
      const x = left + column * (boxWidth + gap);
      const colour = COLOURS[box.kind];
      const narrow = boxWidth < 300;
      out.push(
        `<rect x="${x.toFixed(1)}" y="${y}" width="${boxWidth.toFixed(1)}" height="${rowHeight}" rx="6" fill="${colour.fill}" stroke="${colour.stroke}" stroke-width="1.5"/>`,
        `<text x="${(x + 10).toFixed(1)}" y="${y + 18}" font-size="14" font-weight="600" fill="#24292f">${escape(box.title)}</text>`,
      );
      if (box.entry) {
        const at = narrow
          ? `x="${(x + 10).toFixed(1)}" y="${y + 34}"`
          : `x="${(x + boxWidth - 10).toFixed(1)}" y="${y + 18}" text-anchor="end"`;
        out.push(
          `<text ${at} font-size="11" fill="${colour.stroke}" font-family="ui-monospace, Menlo, monospace">${escape(box.entry)}</text>`,
        );
      }
      out.push(
        `<text x="${(x + 10).toFixed(1)}" y="${y + (narrow ? 50 : 40)}" font-size="12" fill="#424a53">${escape(fit(box.text, boxWidth - 20))}</text>`,
      );
    });
  });
  const arrowTop = top + rowHeight + gap;
  const arrowBottom = top + rows.length * (rowHeight + gap) - gap;
  out.push(
    `<line x1="120" y1="${arrowTop}" x2="120" y2="${arrowBottom - 8}" stroke="#57606a" stroke-width="2"/>`,
    `<path d="M114 ${arrowBottom - 10} L120 ${arrowBottom} L126 ${arrowBottom - 10} Z" fill="#57606a"/>`,
    `<text x="${left}" y="${height - 24}" font-size="12" fill="#57606a">Imports point down only (a lint rule, eslint.layers.js). The blocks know nothing of bookings; adapters implement</text>`,
    `<text x="${left}" y="${height - 8}" font-size="12" fill="#57606a">the ports; the kit composes everything, with the memory adapters as defaults.</text>`,
    '</svg>',
    '',
  );
  return out.join('\n');
}

/** Cuts `text` to about what fits in `width` pixels at 12 px. */
function fit(text: string, width: number): string {
  const max = Math.floor(width / 6.4);
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  writeFileSync(join(root, 'docs', 'architecture.svg'), architectureSvg());
  console.log('wrote docs/architecture.svg');
}
