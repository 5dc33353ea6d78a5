import { describe, expect, it } from 'vitest';
import { nextLink } from '../../src/pages/campaigns/campaign-api';

describe("the receipts CSV's next page", () => {
  it('is the path of the rel="next" link, on the same origin whatever the API named', () => {
    expect(nextLink('</v1/campaigns/c1/receipts.csv?status=delivered&cursor=abc>; rel="next"')).toBe(
      '/v1/campaigns/c1/receipts.csv?status=delivered&cursor=abc',
    );
    expect(nextLink('<https://api.example.vn/v1/campaigns/c1/receipts.csv?cursor=x%2By>; rel=next')).toBe(
      '/v1/campaigns/c1/receipts.csv?cursor=x%2By',
    );
  });

  it('is absent on the last page', () => {
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('</v1/campaigns/c1/receipts.csv>; rel="prev"')).toBeUndefined();
  });
});
