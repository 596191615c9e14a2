import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyRetellSignature } from '../../retell/signature.js';
import { createRetellCallSimulator } from './retell-call-simulator.js';

const apiKey = 'key_simulator_test';

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

describe('Retell call simulator over HTTP', () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  });

  it('sends signed requests to URLs with the global fetch', async () => {
    const seen: { path: string; ok: boolean }[] = [];
    server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const signature = request.headers['x-retell-signature'];
        const ok = verifyRetellSignature(body, typeof signature === 'string' ? signature : null, apiKey).ok;
        seen.push({ path: request.url ?? '', ok });
        if (request.url?.startsWith('/retell/functions/')) {
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ message: 'Tuesday at 10:00 is free.' }));
        } else {
          response.writeHead(204).end();
        }
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const simulator = createRetellCallSimulator({
      apiKey,
      webhook: `${base}/retell/webhook`,
      functions: { byName: (name) => `${base}/retell/functions/${name}` },
    });
    const result = await simulator
      .call({ from: '+14155550100', to: '+14155550199', agentId: 'agent_1' })
      .started()
      .function('check_availability', { date: '2026-01-06' })
      .ended()
      .play();

    expect(seen).toEqual([
      { path: '/retell/webhook', ok: true },
      { path: '/retell/functions/check_availability', ok: true },
      { path: '/retell/webhook', ok: true },
    ]);
    expect(result.functions[0]?.body).toEqual({ message: 'Tuesday at 10:00 is free.' });
    expect(result.webhooks.map((exchange) => exchange.response?.status)).toEqual([204, 204]);
  });
});
