import { describe, expect, it } from 'vitest';
import { fleet } from '../../bench/system/fleet.js';
import { runLoad } from '../../bench/system/load.js';
import { storedVerdict, type WebhookCheck } from '../../bench/system/report.js';
import { calcomDeliveries } from '../../bench/system/webhook-bodies.js';
import { serveLocally } from '../support/local-server.js';

// The webhook benchmark compared the rows stored with every delivery its load generators built,
// and printed a shortfall (49 of 4,068 in one run) under "each unique delivery is one row". Those
// were deliveries that autocannon built and never sent, or sent and cut off unanswered when its
// deadline came. What must be stored is each distinct delivery that was answered 2xx.

describe('counting the deliveries a backend acknowledged', () => {
  it('counts each distinct delivery answered 2xx once, a redelivery or a refusal not again', () => {
    const source = calcomDeliveries(fleet(2), 'accounting');
    const first = source.next();
    const second = source.next();
    source.answered(first, 200);
    source.answered(first, 200); // the same bytes again: a redelivery
    source.answered(second, 503);
    expect(source.answeredUnique).toBe(1);
    source.answered(second, 204);
    expect(source.answeredUnique).toBe(2);
    expect(source.unique).toBe(2);
  });

  it('tells the autocannon load of each answer with the request it answers', async () => {
    const url = await serveLocally((req, res) => {
      req.resume();
      req.on('end', () => {
        res.statusCode = req.url === '/hook/3' ? 500 : 200;
        res.end();
      });
    });
    let n = 0;
    const answered: string[] = [];
    const result = await runLoad({
      url,
      connections: 2,
      durationSec: 1,
      next: () => ({ method: 'POST', path: `/hook/${(n += 1)}`, headers: {}, body: `${n}` }),
      answered: (request, status) => answered.push(`${request.path} ${request.body} ${status}`),
    });
    expect(answered.length).toBe(result.requests);
    expect(answered.length).toBeGreaterThan(3);
    for (const line of answered) {
      const [path, body, status] = line.split(' ');
      expect(path).toBe(`/hook/${body}`);
      expect(status).toBe(path === '/hook/3' ? '500' : '200');
    }
    expect(new Set(answered).size).toBe(answered.length);
  });
});

describe('storedVerdict', () => {
  const check: WebhookCheck = {
    storage: 'postgres+redis',
    calcomSent: 110,
    calcomUnique: 100,
    calcomAnswered: 97,
    appointments: 98,
    retellSent: 55,
    retellUnique: 50,
    retellAnswered: 50,
    calls: 50,
  };
  it('holds when every acknowledged delivery is stored and nothing twice', () => {
    expect(storedVerdict(check)).toBe('yes');
  });
  it('fails when an acknowledged delivery is missing, or there are more rows than deliveries', () => {
    expect(storedVerdict({ ...check, appointments: 96 })).toBe('**no**');
    expect(storedVerdict({ ...check, calls: 51 })).toBe('**no**');
  });
  it('says so when nothing was counted', () => {
    expect(storedVerdict({ ...check, appointments: null })).toBe('not counted');
  });
});
