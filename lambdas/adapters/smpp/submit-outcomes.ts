/**
 * What the SMSC's answers mean for a message: the outcome of each submit_sm_resp error status, and one
 * result for a message of several parts. A message of several parts is accepted only when every part is;
 * its message id is that of the last part, the one that asks for the delivery receipt
 * (smpp-message-parts.ts says why only that one).
 */
import type { SubmitResult } from '../../core/ports.js';
import { CommandStatus } from './smpp-library.js';

export type FailureOutcome = Exclude<SubmitResult['outcome'], 'accepted'>;

/**
 * What a submit_sm_resp error status means for the message (SMPP 3.4 section 5.1.3). Throttled: the SMSC
 * wants us slower, and the gateway pauses too. Transient: this attempt failed at the SMSC or beyond it, and
 * the same PDU may pass later. Permanent: the same PDU will get the same answer. A status not in the table
 * (carriers' vendor codes, 0x400 and up) is transient: the dispatcher bounds the attempts, so an unknown
 * code costs retries and ends in a clear failure, never a message dropped on a guess.
 */
export const SUBMIT_STATUS_OUTCOMES: ReadonlyMap<number, FailureOutcome> = new Map<number, FailureOutcome>([
  [CommandStatus.ESME_RTHROTTLED, 'throttled'],
  [CommandStatus.ESME_RMSGQFUL, 'throttled'],

  [CommandStatus.ESME_RSYSERR, 'transient'],
  [CommandStatus.ESME_RSUBMITFAIL, 'transient'],
  // "ESME receiver temporary app error": the destination's side failed this time.
  [CommandStatus.ESME_RX_T_APPN, 'transient'],
  // The SMSC thinks the session is not bound (it lost our bind): the next attempt goes over a rebind.
  [CommandStatus.ESME_RINVBNDSTS, 'transient'],
  [CommandStatus.ESME_RUNKNOWNERR, 'transient'],

  [CommandStatus.ESME_RINVMSGLEN, 'permanent'],
  [CommandStatus.ESME_RINVCMDLEN, 'permanent'],
  [CommandStatus.ESME_RINVCMDID, 'permanent'],
  [CommandStatus.ESME_RINVPRTFLG, 'permanent'],
  [CommandStatus.ESME_RINVREGDLVFLG, 'permanent'],
  [CommandStatus.ESME_RINVSRCADR, 'permanent'],
  [CommandStatus.ESME_RINVDSTADR, 'permanent'],
  [CommandStatus.ESME_RINVSERTYP, 'permanent'],
  [CommandStatus.ESME_RINVESMCLASS, 'permanent'],
  [CommandStatus.ESME_RINVSRCTON, 'permanent'],
  [CommandStatus.ESME_RINVSRCNPI, 'permanent'],
  [CommandStatus.ESME_RINVDSTTON, 'permanent'],
  [CommandStatus.ESME_RINVDSTNPI, 'permanent'],
  [CommandStatus.ESME_RINVSYSTYP, 'permanent'],
  [CommandStatus.ESME_RINVSCHED, 'permanent'],
  [CommandStatus.ESME_RINVEXPIRY, 'permanent'],
  [CommandStatus.ESME_RINVDFTMSGID, 'permanent'],
  // "ESME receiver permanent app error" and "ESME receiver reject message": the destination refuses it.
  [CommandStatus.ESME_RX_P_APPN, 'permanent'],
  [CommandStatus.ESME_RX_R_APPN, 'permanent'],
  [CommandStatus.ESME_RINVTLVSTREAM, 'permanent'],
  [CommandStatus.ESME_RTLVNOTALLWD, 'permanent'],
  [CommandStatus.ESME_RINVTLVLEN, 'permanent'],
  [CommandStatus.ESME_RMISSINGTLV, 'permanent'],
  [CommandStatus.ESME_RINVTLVVAL, 'permanent'],
]);

export function outcomeOfCommandStatus(status: number): FailureOutcome {
  return SUBMIT_STATUS_OUTCOMES.get(status) ?? 'transient';
}

/** A part that never reached the SMSC: sending it again cannot deliver it twice. */
export function notSent(reason: string): SubmitResult {
  return { outcome: 'transient', reason };
}

/**
 * One result for the parts of a message: refused for good if any part is; else, if any part may have
 * reached the SMSC unanswered, uncertain (so it is retried through this gateway only); else throttled or
 * transient as the parts say. All accepted: the last part's id, the part that asks for the receipt.
 */
export function messageResult(results: SubmitResult[]): SubmitResult {
  const described = results.map((result, index) =>
    result.outcome === 'accepted' ? result : { ...result, reason: `part ${index + 1} of ${results.length}: ${result.reason}` },
  );
  return (
    described.find((result) => result.outcome === 'permanent') ??
    described.find((result) => result.outcome === 'transient' && result.uncertain) ??
    described.find((result) => result.outcome === 'throttled') ??
    described.find((result) => result.outcome === 'transient') ??
    described[described.length - 1]!
  );
}
