// @polkadot/api definitions for tpchain's own JSON-RPC methods. Pass them as the `rpc` option:
//
//   import { ApiPromise, WsProvider } from '@polkadot/api';
//   import { rpc } from '@tpchain/api-definitions';
//   const api = await ApiPromise.create({ provider: new WsProvider('ws://127.0.0.1:9944'), rpc });
//   const proof = await api.rpc.burn.getProof(0);
//
// Answers are JSON (amounts as decimal strings, bytes as 0x hex): the node's README documents
// each one. Runtime APIs (`api.call.escrowApi.escrowTotalHeld()`, …) need no definitions: the
// node serves metadata v15+, which describes them.

const at = { name: 'at', type: 'Hash', isOptional: true };
const json = (description, params) => ({ description, params, type: 'Json' });
// A JSON array of objects.
const list = (description, params) => ({ description, params, type: 'Vec<Json>' });

export const rpc = {
  burn: {
    getRecord: json('A burn record, or null', [{ name: 'id', type: 'u64' }, at]),
    getTotals: json('Total burned, count, per destination, and of one account', [{ name: 'account', type: 'Text', isOptional: true }, at]),
    getProof: json('The proof bundle of a finalized burn (8001 no burn, 8002 not final yet, 8003 unavailable)', [{ name: 'id', type: 'u64' }])
  },
  settlement: {
    getReceipt: json('The receipt proving a settled payment instruction', [{ name: 'hash', type: 'Hash' }, { name: 'batch', type: 'u64', isOptional: true }])
  },
  escrow: {
    getEscrow: json('An open escrow, or null once closed', [{ name: 'id', type: 'u64' }, at]),
    listByAccount: list('Open escrows an account takes part in, with its role', [{ name: 'account', type: 'Text' }, at]),
    getTotalHeld: { description: 'Everything held by open escrows (decimal string)', params: [at], type: 'Text' }
  },
  recovery: {
    getConfig: json("An account's guardians, scheduled change, freeze, recovered-by", [{ name: 'account', type: 'Text' }, at]),
    getActive: json('The open recovery of an account, or null', [{ name: 'lost', type: 'Text' }, at])
  },
  governance: {
    listProposals: list('Proposals from id `from` (at most 256)', [{ name: 'from', type: 'u32', isOptional: true }, { name: 'limit', type: 'u32', isOptional: true }, at]),
    listVotes: list("Every vote on a proposal", [{ name: 'proposal', type: 'u32' }, at]),
    listTracks: { description: "Each track's approval, quorum and periods", params: [at], type: 'Vec<(Text, Json)>' }
  },
  operators: {
    listEntities: list('Every licensed entity', [at])
  },
  bridge: {
    listCounterparties: list("Each counterparty network's light client", [at]),
    isConsumed: { description: 'Whether a burn of that chain was already minted here', params: [{ name: 'chain', type: 'u32' }, { name: 'burnId', type: 'u64' }, at], type: 'bool' },
    listQuarantine: list('Mints waiting in quarantine', [at]),
    listQuarantinedMessages: list('Messages waiting in quarantine', [at])
  },
  audit: {
    getSupply: json('Every token accounted for at a block, and whether it reconciles', [at])
  }
};

export default { rpc };
