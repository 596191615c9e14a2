import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../errors/invalid-option-error.js';
import { ValidationError } from '../../errors/validation-error.js';
import { createFakeClock } from '../fake-clock.js';
import { createCalcomSimulator } from './calcom-simulator.js';

const weeklyHours = { monday: [{ start: '09:00', end: '17:00' }] };

describe('createCalcomSimulator options', () => {
  it('names a bad option', () => {
    expect(() => createCalcomSimulator({ rateLimitPerMinute: 0 })).toThrow(InvalidOptionError);
    expect(() => createCalcomSimulator({ rateLimitPerMinute: 0 })).toThrow(/rateLimitPerMinute/);
    expect(() => createCalcomSimulator({ uid: 'x' as unknown as () => string })).toThrow(/"uid"/);
    expect(() => createCalcomSimulator({ accounts: [] })).toThrow(/accounts/);
    expect(() =>
      createCalcomSimulator({
        accounts: [
          { apiKey: 'k', username: 'a' },
          { apiKey: 'k', username: 'b' },
        ],
      }),
    ).toThrow(/accounts\[1\]\.apiKey/);
    expect(() =>
      createCalcomSimulator({ accounts: [{ apiKey: 'k', username: 'a', timeZone: 'Mars/Base' }] }),
    ).toThrow(/accounts\[0\]\.timeZone/);
  });

  it('names the field of a bad event type', () => {
    expect(() =>
      createCalcomSimulator({
        eventTypes: [{ slug: 'a', lengthInMinutes: 0, timeZone: 'UTC', weeklyHours }],
      }),
    ).toThrow(expect.objectContaining({ message: expect.stringContaining('eventTypes.0.lengthInMinutes') }));
    const sim = createCalcomSimulator();
    expect(() =>
      sim.addEventType({ owner: 'nobody', slug: 'a', lengthInMinutes: 30, timeZone: 'UTC', weeklyHours }),
    ).toThrow(ValidationError);
  });

  it('gives event types ids from 1001 and keeps given ones', () => {
    const sim = createCalcomSimulator({
      eventTypes: [{ id: 7, slug: 'a', lengthInMinutes: 30, timeZone: 'UTC', weeklyHours }],
    });
    expect(sim.addEventType({ slug: 'b', lengthInMinutes: 30, timeZone: 'UTC', weeklyHours }).id).toBe(1001);
    expect(sim.accounts).toEqual([
      {
        apiKey: 'cal_test_simulator',
        id: 1,
        username: 'simulator',
        name: 'simulator',
        email: 'simulator@example.com',
        timeZone: 'UTC',
      },
    ]);
  });

  it('lets a throwing validate hook fail the request it saw', async () => {
    const sim = createCalcomSimulator({
      clock: createFakeClock(),
      validate: ({ response }) => {
        if (response?.status === 404) throw new Error('unexpected 404');
      },
    });
    await expect(sim.fetch('https://api.cal.com/v2/nothing')).rejects.toThrow('unexpected 404');
  });

  it('turns the rate limit off with false', async () => {
    const sim = createCalcomSimulator({ clock: createFakeClock(), rateLimitPerMinute: false });
    const response = await sim.fetch('https://api.cal.com/v2/webhooks', {
      headers: { authorization: 'Bearer cal_test_simulator' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-ratelimit-limit-default')).toBeNull();
  });
});
