import { describe, expect, it } from 'vitest';
import { canCampaign, requireCampaignState, type CampaignAction } from '../../../lambdas/core/campaigns/campaign-status.js';
import { ConflictError } from '../../../lambdas/core/errors.js';
import { CampaignStatus, type Campaign } from '../../../lambdas/core/model.js';

const inState = (status: CampaignStatus) => ({ id: 'cmp_1', status }) as Campaign;

describe('the campaign state machine', () => {
  const expectations: [CampaignAction, CampaignStatus[]][] = [
    ['submit', ['draft']],
    ['approve', ['pending_approval']],
    ['reject', ['pending_approval']],
    ['launch', ['approved', 'scheduled']],
    ['pause', ['approved', 'scheduled', 'sending']],
    ['resume', ['paused']],
    ['cancel', ['draft', 'pending_approval', 'approved', 'scheduled', 'sending', 'paused']],
    ['finishRun', ['sending']],
  ];

  it.each(expectations)('allows %s only from %j', (action, allowed) => {
    for (const status of Object.values(CampaignStatus)) {
      expect(canCampaign(inState(status), action), `${action} from ${status}`).toBe(allowed.includes(status));
    }
  });

  it('never leaves a final state', () => {
    for (const status of ['completed', 'cancelled'] as const) {
      for (const [action] of expectations) expect(canCampaign(inState(status), action)).toBe(false);
    }
  });

  it('says which state the campaign is in and which it needs', () => {
    expect(() => requireCampaignState(inState('completed'), 'pause')).toThrow(ConflictError);
    expect(() => requireCampaignState(inState('completed'), 'pause')).toThrow(/is completed; pause needs approved or scheduled or sending/);
  });
});
