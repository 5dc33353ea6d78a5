/** What a non-dev stage keeps when its stack is deleted. */
import { describe, expect, it } from 'vitest';
import { resourcesOfType } from '../template-helpers.js';
import { dev, prod } from './synthesized-stacks.js';

describe('a non-dev stage', () => {
  it('keeps its logs, gateway credentials and schedule group when the stack goes', () => {
    for (const type of ['AWS::Logs::LogGroup', 'AWS::SecretsManager::Secret', 'AWS::Scheduler::ScheduleGroup']) {
      for (const found of Object.values(resourcesOfType(dev, type))) expect(found.DeletionPolicy, type).toBe('Delete');
      for (const found of Object.values(resourcesOfType(prod, type))) expect(found.DeletionPolicy, type).toBe('Retain');
    }
  });
});
