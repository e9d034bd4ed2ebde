// /admin/queues: bull-board over every queue, behind the token. A browser sends it as the
// password of HTTP Basic auth (any user name), scripts as a Bearer token.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { requireToken } from './auth.js';

export const DASHBOARD_PATH = '/admin/queues';

export async function registerDashboard(app: FastifyInstance, queues: Queue[], token: string | undefined): Promise<void> {
  const serverAdapter = new FastifyAdapter();
  createBullBoard({
    queues: queues.map((q) => new BullMQAdapter(q)),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'newsline' } },
  });
  serverAdapter.setBasePath(DASHBOARD_PATH);
  await app.register(
    async (scope) => {
      scope.addHook(
        'onRequest',
        requireToken(token, {
          allowBasic: true,
          challenge: 'Basic realm="newsline", charset="UTF-8"',
          hint: 'the dashboard needs the API token',
        }),
      );
      await scope.register(serverAdapter.registerPlugin() as never);
    },
    { prefix: DASHBOARD_PATH },
  );
}
