// The verification-outbox part of the repository contract (composed in repository.contract.ts).
import { beforeEach, describe, expect, it } from 'vitest';
import type { NewVerification } from '../../src/domain/index.js';
import { ConflictError, NotFoundError, ValidationError } from '../../src/repository/errors.js';
import type { NewOutboxMessage, SupportRepository } from '../../src/repository/types.js';
import { ALICE_EMAIL, ALICE_PHONE, IDS } from './dataset.js';
import { MINUTE, expectRecent, expectRejects, newVerification, uid, type ContractSuite } from './kit.js';

export function describeOutboxContract(suite: ContractSuite): void {
  let repo: SupportRepository;
  beforeEach(() => {
    ({ repo } = suite.current());
  });

  describe('verification outbox', () => {
    const verification = (overrides: Partial<NewVerification> = {}): NewVerification =>
      newVerification({ code_hash: null, delivered_to: null, max_attempts: 5, ...overrides });
    const message = (verificationId: string | null, overrides: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
      id: uid('msg'),
      channel: 'email',
      destination: ALICE_EMAIL,
      body: 'Your verification code is {code}.',
      code: '042917',
      verification_id: verificationId,
      customer_id: IDS.alice,
      expires_at: new Date(Date.now() + 10 * MINUTE).toISOString(),
      ...overrides,
    });
    const OUTBOX_KEYS = [
      'body', 'channel', 'code', 'created_at', 'customer_id', 'destination', 'expires_at', 'id', 'sent_at', 'verification_id',
    ];

    it('enqueueOutbox stores the message as given, pending; listOutbox returns it oldest first', async () => {
      const v = await repo.createVerification(verification());
      const before = Date.now();
      const input = message(v.id);
      const m = await repo.enqueueOutbox(input);
      expect(Object.keys(m).sort()).toEqual(OUTBOX_KEYS);
      expect(m).toMatchObject({ ...input, sent_at: null });
      expectRecent(m.created_at, before, 'created_at');
      await new Promise((r) => setTimeout(r, 5));
      const sms = await repo.enqueueOutbox(message(v.id, { channel: 'sms', destination: ALICE_PHONE, expires_at: null, customer_id: null }));
      expect(sms).toMatchObject({ channel: 'sms', destination: ALICE_PHONE, expires_at: null, customer_id: null });
      const all = await repo.listOutbox({ limit: 1000 });
      const mine = all.filter((x) => x.verification_id === v.id);
      expect(mine).toEqual([m, sms]);
      const pending = await repo.listOutbox({ pendingOnly: true, limit: 1000 });
      expect(pending.filter((x) => x.verification_id === v.id).map((x) => x.id)).toEqual([m.id, sms.id]);
      // ascending (created_at, id) across the whole list
      for (let i = 1; i < all.length; i++) {
        const [a, b] = [all[i - 1]!, all[i]!];
        expect(a.created_at < b.created_at || (a.created_at === b.created_at && a.id < b.id)).toBe(true);
      }
    });

    it('markOutboxSent sets sent_at, clears the code, is idempotent, and drops the message from pendingOnly', async () => {
      const v = await repo.createVerification(verification());
      const m = await repo.enqueueOutbox(message(v.id));
      const at = new Date(Date.now() + MINUTE);
      const sent = await repo.markOutboxSent(m.id, at);
      expect(sent).toEqual({ ...m, sent_at: at.toISOString(), code: null });
      expect(await repo.markOutboxSent(m.id, new Date(at.getTime() + MINUTE))).toEqual(sent);
      const pending = await repo.listOutbox({ pendingOnly: true, limit: 1000 });
      expect(pending.some((x) => x.id === m.id)).toBe(false);
      const all = await repo.listOutbox({ limit: 1000 });
      expect(all.find((x) => x.id === m.id)).toEqual(sent);
      await expectRejects(repo.markOutboxSent(uid('msg_missing')), NotFoundError);
    });

    it('rejects an unknown verification, a reused id and invalid channels', async () => {
      const missing = uid('ver_missing');
      await expectRejects(repo.enqueueOutbox(message(missing)), NotFoundError, { entity: 'verification', id: missing });
      const v = await repo.createVerification(verification());
      const m = await repo.enqueueOutbox(message(v.id));
      await expectRejects(repo.enqueueOutbox(message(v.id, { id: m.id })), ConflictError, { reason: 'duplicate_outbox_message' });
      await expectRejects(repo.enqueueOutbox(message(v.id, { channel: 'fax' as 'sms' })), ValidationError);
      await expectRejects(repo.enqueueOutbox(message(v.id, { destination: '' })), ValidationError);
      // a message without a verification is allowed (other notifications)
      const plain = await repo.enqueueOutbox(message(null, { code: null }));
      expect(plain).toMatchObject({ verification_id: null, code: null });
    });

    it('returned messages are copies', async () => {
      const v = await repo.createVerification(verification());
      const m = await repo.enqueueOutbox(message(v.id));
      m.code = 'tampered';
      const [listed] = (await repo.listOutbox({ limit: 1000 })).filter((x) => x.id === m.id);
      expect(listed?.code).toBe('042917');
      listed!.destination = 'x';
      expect((await repo.listOutbox({ limit: 1000 })).find((x) => x.id === m.id)?.destination).toBe(ALICE_EMAIL);
    });
  });
}
