// Queue names, one per stage. The braces are a Redis Cluster hash tag: every key of one queue
// lands in one slot, while different queues may live on different nodes.
export const stages = ['fetch', 'extract', 'dedup', 'tag', 'store'] as const;
export type Stage = (typeof stages)[number];

export function queueName(stage: Stage): string {
  return `{${stage}}`;
}

export function isStage(value: string): value is Stage {
  return (stages as readonly string[]).includes(value);
}

/** Parse a comma-separated stage list such as `fetch,extract`; throws on an unknown name. */
export function parseStages(list: string): Stage[] {
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names) {
    if (!isStage(name)) throw new Error(`unknown stage "${name}" (stages: ${stages.join(', ')})`);
  }
  return names as Stage[];
}
