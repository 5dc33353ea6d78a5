import { describe, expect, it } from 'vitest';
import { subjectPath } from '../../src/pages/audit/audit-entries';
import { auditQuery, daysReversed, NO_FILTER } from '../../src/pages/audit/audit-query';
import { detailRows, formatRate, gatewayCondition } from '../../src/pages/gateways/gateway-view';

describe('the audit filter as the API query', () => {
  it('asks for nothing when nothing is filled in', () => {
    expect(auditQuery({ ...NO_FILTER, actor: '  ' })).toEqual({});
  });

  it('asks up to the day after the last day, which the API does not include, so the whole last day is in', () => {
    const query = auditQuery({
      actor: ' lan ',
      action: 'template.approved',
      subject: ' tpl_1 ',
      fromDay: '2026-12-01',
      toDay: '2026-12-05',
    });
    expect(query).toEqual({ actor: 'lan', action: 'template.approved', subject: 'tpl_1', from: '2026-12-01', to: '2026-12-06' });
  });

  it('rolls the end over the end of a month, a year and a leap February', () => {
    expect(auditQuery({ ...NO_FILTER, toDay: '2026-12-31' }).to).toBe('2027-01-01');
    expect(auditQuery({ ...NO_FILTER, toDay: '2028-02-28' }).to).toBe('2028-02-29');
    expect(auditQuery({ ...NO_FILTER, toDay: '2027-02-28' }).to).toBe('2027-03-01');
  });

  it('notices an end day before the start day', () => {
    expect(daysReversed({ ...NO_FILTER, fromDay: '2026-12-05', toDay: '2026-12-01' })).toBe(true);
    expect(daysReversed({ ...NO_FILTER, fromDay: '2026-12-05', toDay: '2026-12-05' })).toBe(false);
    expect(daysReversed({ ...NO_FILTER, toDay: '2026-12-01' })).toBe(false);
  });

  it('links the subjects that have a page in the console', () => {
    expect(subjectPath('tpl_01JXYZ')).toBe('/templates/tpl_01JXYZ');
    expect(subjectPath('cmp_01JXYZ')).toBe('/campaigns/cmp_01JXYZ');
    expect(subjectPath('seg_01JXYZ')).toBe('/segments/seg_01JXYZ');
    expect(subjectPath('subscribers')).toBeUndefined();
    expect(subjectPath('+8491*****78')).toBeUndefined();
  });
});

describe('the gateway board', () => {
  it('names the circuit breaker states as staff read them', () => {
    expect(gatewayCondition('up')).toBe('healthy');
    expect(gatewayCondition('down')).toBe('tripped');
    expect(gatewayCondition('recovering')).toBe('probing');
    expect(gatewayCondition('sideways')).toBeUndefined();
  });

  it('shows an error rate as a percentage in the reader’s language', () => {
    expect(formatRate(0.025, 'vi')).toBe('2,5%');
    expect(formatRate(0.025, 'en')).toBe('2.5%');
    expect(formatRate(0, 'en')).toBe('0%');
  });

  it('keeps numbers of the details as numbers and makes the rest text', () => {
    expect(detailRows({ state: 'bound', outstanding: 3, tls: false, peers: ['a'] })).toEqual([
      { key: 'state', value: 'bound' },
      { key: 'outstanding', value: 3 },
      { key: 'tls', value: 'false' },
      { key: 'peers', value: '["a"]' },
    ]);
    expect(detailRows(undefined)).toEqual([]);
  });
});
