// /admin/queues: bull-board over every queue, behind the token. A browser sends it as the
// password of HTTP Basic auth (any user name), scripts as a Bearer token. The board works
// offline (no web fonts; it falls back to the system's) and says on each queue what it holds,
// so that a stage run fused in the worker before it does not read as an idle one.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { DIGEST_QUEUE } from '../queues/digests.js';
import { DISCOVER_QUEUE } from '../queues/discover.js';
import { queueName, stages } from '../queues/names.js';
import { WEBHOOK_QUEUE } from '../queues/webhooks.js';
import { requireToken } from './auth.js';

export const DASHBOARD_PATH = '/admin/queues';

export interface DashboardOptions {
  token: string | undefined;
  /** NEWSLINE_FUSE_STAGES as this deployment sets it. */
  fuseStages: boolean;
}

/** What each queue holds, shown on its page of the board. */
export function queueDescriptions(fuseStages: boolean): Map<string, string> {
  const descriptions = new Map<string, string>([
    [queueName('fetch'), 'URLs to fetch: submitted by operators and found by source crawls.'],
    [DISCOVER_QUEUE, 'Source crawls (feeds, sitemaps, section pages), run on their schedules.'],
    [DIGEST_QUEUE, 'Newsletter digests, one job per topic when its period ends.'],
    [WEBHOOK_QUEUE, 'Event deliveries to webhook subscribers; a delivery that keeps failing ends up failed here.'],
  ]);
  for (const stage of stages.slice(1)) {
    const before = stages[stages.indexOf(stage) - 1];
    descriptions.set(
      queueName(stage),
      fuseStages
        ? `Stages are fused (NEWSLINE_FUSE_STAGES): a worker that runs ${before} and ${stage} passes each article ` +
            `straight on, so articles wait here only when ${stage} runs in another process or a fused run ` +
            `failed and is retried here. An empty queue is not an idle stage: ` +
            `newsline_stage_job_duration_seconds_count{stage="${stage}"} on /metrics counts its runs.`
        : `Articles waiting for ${stage}, handed on by ${before}.`,
    );
  }
  return descriptions;
}

/** Web fonts the board's page would load from the internet; the system's fonts are used instead. */
const REMOTE_LINK = /<link\b[^>]*\bhref=["']?(?:https?:)?\/\/[^>]*>\s*/gi;

export async function registerDashboard(app: FastifyInstance, queues: Queue[], options: DashboardOptions): Promise<void> {
  const descriptions = queueDescriptions(options.fuseStages);
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q, { description: descriptions.get(q.name) ?? '' })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'newsline' } },
  });
  serverAdapter.setBasePath(DASHBOARD_PATH);
  await app.register(
    async (scope) => {
      scope.addHook(
        'onRequest',
        requireToken(options.token, {
          allowBasic: true,
          challenge: 'Basic realm="newsline", charset="UTF-8"',
          hint: 'the dashboard needs the API token',
        }),
      );
      scope.addHook('onSend', async (_request, reply, payload) => {
        const type = String(reply.getHeader('content-type') ?? '');
        if (typeof payload !== 'string' || !type.startsWith('text/html')) return payload;
        return payload.replace(REMOTE_LINK, '');
      });
      await scope.register(serverAdapter.registerPlugin() as never);
    },
    { prefix: DASHBOARD_PATH },
  );
}
