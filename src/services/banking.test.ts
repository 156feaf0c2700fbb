// Banking and ticket rules as plain services, without MCP: the default account, the status
// check and the verification a balance needs; the amount and currency of a ticket.
import { beforeAll, describe, expect, it } from 'vitest';
import type { BankAccount } from '../domain/index.js';
import { loadDataset, type Dataset } from '../repository/dataset.js';
import { FixtureRepository } from '../repository/fixtures/index.js';
import { BankingService, defaultAccount } from './banking.js';
import { TicketService } from './tickets.js';

let dataset: Dataset;
beforeAll(async () => {
  dataset = await loadDataset();
});

const account = (id: string, account_type: BankAccount['account_type']): BankAccount => ({
  id, customer_id: 'C', account_type, balance: 1, currency: 'USD', last_updated: '2024-01-01T00:00:00.000Z',
});

describe('BankingService', () => {
  it('the default account is checking, else savings, else credit; ties by id', () => {
    expect(defaultAccount([account('3', 'credit'), account('2', 'savings'), account('1', 'checking')])!.id).toBe('1');
    expect(defaultAccount([account('3', 'credit'), account('2', 'savings')])!.id).toBe('2');
    expect(defaultAccount([account('b', 'savings'), account('a', 'savings')])!.id).toBe('a');
    expect(defaultAccount([])).toBeUndefined();
  });

  it('a balance needs a verification even under open access; built without one it refuses', async () => {
    const repo = new FixtureRepository(dataset);
    await expect(new BankingService(repo).balanceAccount('CUST-001')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    const verified = new BankingService(repo, { requireVerified: async () => undefined });
    expect(await verified.balanceAccount('CUST-001')).toMatchObject({ account_type: 'checking', balance: 12450.32 });
    expect(await verified.balanceAccount('CUST-005')).toMatchObject({ account_type: 'savings' });
    expect(await verified.balanceAccount('CUST-005', 'credit')).toMatchObject({ account_type: 'credit' });
  });

  it('a customer who is not active gets INVALID_STATE with the status, only once verified', async () => {
    const repo = new FixtureRepository(dataset);
    const checked: string[] = [];
    const service = new BankingService(repo, { requireVerified: async (id) => { checked.push(id); } });
    await expect(service.balanceAccount('CUST-010')).rejects.toMatchObject({
      code: 'INVALID_STATE', details: { entity: 'customer', state: 'suspended' },
    });
    expect(checked).toEqual(['CUST-010']);
    await expect(new BankingService(repo).balanceAccount('CUST-010')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
  });

  it('NOT_FOUND: customer for an unknown id, bank_account for a missing account', async () => {
    const service = new BankingService(new FixtureRepository(dataset), { requireVerified: async () => undefined });
    await expect(service.balanceAccount('CUST-999')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'customer' } });
    await expect(service.balanceAccount('CUST-001', 'credit')).rejects.toMatchObject({ code: 'NOT_FOUND', details: { entity: 'bank_account' } });
  });
});

describe('TicketService amount and currency', () => {
  const input = { customerId: 'CUST-001', category: 'fraud' as const, priority: 'high' as const, description: 'Card used abroad' };

  it('stores a valid amount and the currency in upper case', async () => {
    const { ticket } = await new TicketService(new FixtureRepository(dataset)).createTicket({ ...input, amount: 89.99, currency: ' usd ' });
    expect(ticket).toMatchObject({ amount: 89.99, currency: 'USD' });
  });

  it('refuses a negative amount, more than two decimals, and a currency that is not ISO 4217', async () => {
    const service = new TicketService(new FixtureRepository(dataset));
    for (const amount of [-1, 1.234, Number.POSITIVE_INFINITY]) {
      await expect(service.createTicket({ ...input, amount })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED', details: { issues: [{ field: 'amount' }] },
      });
    }
    for (const currency of ['dollars', 'US', '12$']) {
      await expect(service.createTicket({ ...input, currency })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED', details: { issues: [{ field: 'currency' }] },
      });
    }
  });
});
