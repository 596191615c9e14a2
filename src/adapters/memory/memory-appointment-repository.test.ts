import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInvalidOptionError } from '../../errors/invalid-option-error.js';
import { isValidationError } from '../../errors/validation-error.js';
import { appointmentRepositoryContract } from '../../testing/contracts/appointment-repository.contract.js';
import { anAppointment, at } from '../../testing/fixtures.js';
import { createMemoryAppointmentRepository } from './memory-appointment-repository.js';
import { createMemoryStores } from './memory-stores.js';

appointmentRepositoryContract({ describe, it, beforeEach, afterEach }, 'memory', () =>
  createMemoryAppointmentRepository(),
);
appointmentRepositoryContract(
  { describe, it, beforeEach, afterEach },
  'memory stores',
  () => createMemoryStores().appointments,
);

describe('createMemoryAppointmentRepository', () => {
  it('names the conflicting appointment in a SlotConflictError', async () => {
    const repo = createMemoryAppointmentRepository();
    const first = anAppointment();
    await repo.insert(first);
    await expect(repo.insert(anAppointment())).rejects.toMatchObject({
      context: { conflictingAppointmentId: first.id, alternatives: [] },
    });
  });

  it('rejects a cursor it did not issue', async () => {
    const repo = createMemoryAppointmentRepository();
    const error: unknown = await repo.list('tenant-a', { cursor: 'not-a-cursor' }).catch((e: unknown) => e);
    expect(isValidationError(error) && error.context.issues[0]?.path).toBe('cursor');
  });

  it('rejects a page size outside 1 to 1000 and a bad expected version', async () => {
    const repo = createMemoryAppointmentRepository();
    for (const limit of [0, 1001, 2.5]) {
      const error: unknown = await repo.list('tenant-a', { limit }).catch((e: unknown) => e);
      expect(isInvalidOptionError(error) && error.context.option).toBe('limit');
    }
    const appointment = anAppointment();
    await repo.insert(appointment);
    const error: unknown = await repo.update({ ...appointment, version: 1 }, 0).catch((e: unknown) => e);
    expect(isInvalidOptionError(error) && error.context.option).toBe('expectedVersion');
  });

  it('rejects a listing window that is not an instant', async () => {
    const repo = createMemoryAppointmentRepository();
    const error: unknown = await repo.list('tenant-a', { from: 'yesterday' }).catch((e: unknown) => e);
    expect(isValidationError(error) && error.context.issues[0]?.path).toBe('from');
  });

  it('keeps paging stable when appointments are added between pages', async () => {
    const repo = createMemoryAppointmentRepository();
    for (const hour of ['10', '11', '12'])
      await repo.insert(anAppointment({ id: `a-${hour}`, start: at(`${hour}:00`), end: at(`${hour}:30`) }));
    const first = await repo.list('tenant-a', { limit: 2 });
    await repo.insert(anAppointment({ id: 'a-09', start: at('09:00'), end: at('09:30') }));
    const second = await repo.list('tenant-a', { limit: 2, cursor: first.nextCursor! });
    expect([...first.items, ...second.items].map((a) => a.id)).toEqual(['a-10', 'a-11', 'a-12']);
  });

  it('compares instants by time, not by how they are written', async () => {
    const repo = createMemoryAppointmentRepository();
    await repo.insert(anAppointment({ start: '2026-01-05T09:00:00Z', end: '2026-01-05T10:00:00Z' }));
    await expect(
      repo.insert(anAppointment({ start: '2026-01-05T09:59:59.999Z', end: '2026-01-05T10:30:00.000Z' })),
    ).rejects.toMatchObject({
      code: 'SLOT_CONFLICT',
    });
    await repo.insert(anAppointment({ start: '2026-01-05T10:00:00.000Z', end: '2026-01-05T10:30:00Z' }));
  });
});
