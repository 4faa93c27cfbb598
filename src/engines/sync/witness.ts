/**
 * The witness arbiter (the first node of the witness region). It holds no data; it is the
 * membership authority for `on_failure: witness`.
 */
import type { NodeId } from '../../sim/ids.js';
import type { Io } from './state.js';
import type { SyncState } from './types.js';

/**
 * The witness is the membership authority: it grants a removal or an addition only to a copy
 * it still counts in scope (so one side wins a partition), numbers every change, and answers
 * with the current membership either way.
 */
export function onRemoveReq(s: SyncState, from: NodeId, target: NodeId, io: Io): void {
  const scope = s.d.arbiterScope;
  if (s.role !== 'arbiter' || scope === null) return;
  const granted = scope.includes(from);
  if (granted && scope.includes(target)) setMembers(s, scope.filter((c) => c !== target));
  io.send(from, { type: 'remove-res', target, granted, epoch: s.d.epoch, members: s.d.arbiterScope ?? [] });
}

export function onAddReq(s: SyncState, from: NodeId, target: NodeId, io: Io): void {
  const scope = s.d.arbiterScope;
  if (s.role !== 'arbiter' || scope === null) return;
  const granted = scope.includes(from);
  if (granted && !scope.includes(target)) setMembers(s, s.cfg.copies.filter((c) => c === target || scope.includes(c)));
  io.send(from, { type: 'add-res', target, granted, epoch: s.d.epoch, members: s.d.arbiterScope ?? [] });
}

export function onScopeReq(s: SyncState, from: NodeId, io: Io): void {
  if (s.role !== 'arbiter' || s.d.arbiterScope === null) return;
  io.send(from, { type: 'scope', epoch: s.d.epoch, members: s.d.arbiterScope });
}

export function setMembers(s: SyncState, members: NodeId[]): void {
  s.d.arbiterScope = members;
  s.d.epoch++;
}

