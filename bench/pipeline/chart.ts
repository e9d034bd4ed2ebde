// A small dependency-free SVG line chart: throughput (articles/s) over time, one line per run.
export interface Series {
  name: string;
  /** [seconds since start, articles per second] */
  points: Array<[number, number]>;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

export function throughputSvg(series: Series[], title: string): string {
  const w = 760;
  const h = 360;
  const pad = { l: 56, r: 170, t: 36, b: 44 };
  const maxX = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[0])));
  const maxY = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1]))) * 1.1;
  const x = (v: number) => pad.l + (v / maxX) * (w - pad.l - pad.r);
  const y = (v: number) => h - pad.b - (v / maxY) * (h - pad.t - pad.b);
  const ticks = (max: number, n: number) => Array.from({ length: n + 1 }, (_, i) => (max * i) / n);
  const grid = ticks(maxY, 5)
    .map(
      (v) =>
        `<line x1="${pad.l}" x2="${w - pad.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${Math.round(v)}</text>`,
    )
    .join('');
  const xTicks = ticks(maxX, 6)
    .map((v) => `<text x="${x(v)}" y="${h - pad.b + 16}" text-anchor="middle">${v.toFixed(0)}</text>`)
    .join('');
  const lines = series
    .map((s, i) => {
      const d = s.points.map((p, k) => `${k ? 'L' : 'M'}${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join('');
      const c = COLOURS[i % COLOURS.length];
      return `<path d="${d}" fill="none" stroke="${c}" stroke-width="2"/><rect x="${w - pad.r + 14}" y="${pad.t + i * 20}" width="12" height="12" fill="${c}"/><text x="${w - pad.r + 32}" y="${pad.t + i * 20 + 10}">${s.name}</text>`;
    })
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" font-family="sans-serif" font-size="12">
<rect width="100%" height="100%" fill="white"/><text x="${pad.l}" y="20" font-size="14">${title}</text>${grid}${xTicks}
<text x="${(pad.l + w - pad.r) / 2}" y="${h - 8}" text-anchor="middle">seconds</text><text x="14" y="${h / 2}" transform="rotate(-90 14 ${h / 2})" text-anchor="middle">articles/s</text>${lines}</svg>
`;
}

/** Completion times (ms since start) → articles/s per 1-second bucket. */
export function perSecond(doneAtMs: number[]): Array<[number, number]> {
  const buckets = new Map<number, number>();
  for (const t of doneAtMs) buckets.set(Math.floor(t / 1_000), (buckets.get(Math.floor(t / 1_000)) ?? 0) + 1);
  const last = Math.max(0, ...buckets.keys());
  return Array.from({ length: last + 1 }, (_, s) => [s + 1, buckets.get(s) ?? 0] as [number, number]);
}
