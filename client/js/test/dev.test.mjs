// Against a running --dev node (TPCHAIN_WS): the definitions work with @polkadot/api for a
// transfer, a burn and its proof, and an escrow read (RPC and runtime API).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ApiPromise, WsProvider, Keyring } from '@polkadot/api';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { rpc } from '../index.js';

const UNIT = 10n ** 12n;
let api, alice, bob;

before(async () => {
  await cryptoWaitReady();
  api = await ApiPromise.create({ provider: new WsProvider(process.env.TPCHAIN_WS), rpc, noInitWarn: true });
  const keyring = new Keyring({ type: 'sr25519' });
  alice = keyring.addFromUri('//Alice');
  bob = keyring.addFromUri('//Bob');
});

after(async () => api && api.disconnect());

// Signs and submits; resolves with the events once finalized, rejects with the module error.
function send (tx, signer) {
  return new Promise((resolve, reject) => {
    tx.signAndSend(signer, ({ status, events, dispatchError }) => {
      if (dispatchError) {
        const e = dispatchError.isModule ? api.registry.findMetaError(dispatchError.asModule) : null;
        reject(new Error(e ? `${e.section}.${e.name}` : dispatchError.toString()));
      } else if (status.isFinalized) {
        resolve(events.map(({ event }) => event));
      }
    }).catch(reject);
  });
}

const free = async (who) => (await api.query.system.account(who)).data.free.toBigInt();

test('a transfer moves exactly the amount', async () => {
  const before = await free(bob.address);
  await send(api.tx.balances.transferKeepAlive(bob.address, UNIT), alice);
  assert.equal(await free(bob.address) - before, UNIT);
});

test('a burn and its proof through burn_getProof', async () => {
  const events = await send(api.tx.burnProofs.burn(2n * UNIT, null, '0x', 'JS-1'), alice);
  const burned = events.find((e) => api.events.burnProofs.Burned.is(e));
  assert.ok(burned, 'BurnProofs.Burned');
  const id = burned.data.id.toNumber();
  assert.equal(burned.data.amount.toBigInt(), 2n * UNIT);
  const record = (await api.rpc.burn.getRecord(id)).toJSON();
  assert.equal(record.amount, (2n * UNIT).toString());
  // The proof is served once a justified block covers the burn (8002 until then).
  let proof;
  for (let i = 0; i < 120 && !proof; i++) {
    try {
      proof = (await api.rpc.burn.getProof(id)).toJSON();
    } catch (e) {
      assert.match(String(e.message), /8002/);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  assert.ok(proof, 'a proof within 60 s');
  assert.equal(proof.burnId, id);
  // `finalized`: the justified block the proof is anchored in, [number, hash].
  assert.ok(proof.finalized[0] >= 1 && /^0x[0-9a-f]{64}$/.test(proof.finalized[1]), JSON.stringify(proof.finalized));
  assert.match(proof.bundle, /^0x[0-9a-f]{200,}$/);
  const totals = (await api.rpc.burn.getTotals()).toJSON();
  assert.ok(BigInt(totals.total) >= 2n * UNIT);
});

test('an escrow read through escrow_getEscrow and the runtime API', async () => {
  const heldBefore = (await api.call.escrowApi.escrowTotalHeld()).toBigInt();
  const milestone = { amount: 3n * UNIT, condition: { nodes: [{ Leaf: { AfterBlock: 1000000 } }] } };
  const events = await send(api.tx.escrow.create(bob.address, [milestone], 500, [], 'JS-ESCROW'), alice);
  const created = events.find((e) => api.events.escrow.EscrowCreated.is(e));
  const id = created.data.id.toNumber();
  const escrow = (await api.rpc.escrow.getEscrow(id)).toJSON();
  assert.equal(escrow.payer, alice.address);
  assert.equal(escrow.payee, bob.address);
  assert.equal(escrow.remaining, (3n * UNIT).toString());
  assert.equal(escrow.milestones.length, 1);
  assert.equal((await api.call.escrowApi.escrowTotalHeld()).toBigInt() - heldBefore, 3n * UNIT);
  assert.equal(BigInt((await api.rpc.escrow.getTotalHeld()).toString()), heldBefore + 3n * UNIT);
  const mine = (await api.rpc.escrow.listByAccount(bob.address)).toJSON();
  assert.ok(mine.some((p) => p.id === id && p.role === 'payee'), JSON.stringify(mine));
  const tracks = (await api.rpc.governance.listTracks()).toJSON();
  assert.equal(tracks.length, 4);
  const entities = (await api.rpc.operators.listEntities()).toJSON();
  assert.equal(entities[0].votingAccount, alice.address);
});

test('the supply reconciles through audit_getSupply', async () => {
  const supply = (await api.rpc.audit.getSupply()).toJSON();
  assert.equal(supply.reconciled, true);
});
